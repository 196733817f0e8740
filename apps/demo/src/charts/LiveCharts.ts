// Loaded on demand (a dynamic import from main.ts): vega and vega-lite are most of the page's
// JavaScript and are not needed for the first paint.
import { changeset, parse, View } from 'vega';
import { compile } from 'vega-lite';
import type { RunRecord } from '../training/records.ts';
import { CHART_DATA, type ChartRun, chartSpec } from './chartSpec.ts';
import { CHART_IDS, type ChartId, type ChartRow, rowsOf } from './rowsOf.ts';

/** The shortest time between two renders, in ms. */
const MIN_RENDER_INTERVAL_MS = 100;

/**
 * The page's live charts: one vega view (SVG) per chart, every run overlaid in its colour. Records
 * are queued and rendered at most once per animation frame and per 100 ms, as data changesets; each container's
 * `data-points` attribute says how many rows its view holds after each render.
 */
export class LiveCharts {
  private runs: ChartRun[] = [];
  /** Every row of every chart, to rebuild a view when the runs (its colour scale) change. */
  private readonly rows = new Map<ChartId, ChartRow[]>(CHART_IDS.map((id) => [id, []]));
  private readonly pending = new Map<ChartId, ChartRow[]>(CHART_IDS.map((id) => [id, []]));
  private readonly views = new Map<ChartId, View>();
  private rebuild = true;
  private frame: number | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastRender = Number.NEGATIVE_INFINITY;
  private rendering = false;
  private again = false;

  /** @param containers - the element of each chart (its `id`). */
  constructor(private readonly containers: Readonly<Record<ChartId, HTMLElement>>) {
    this.schedule();
  }

  /**
   * Sets the runs shown, in slot order: their labels and colours make the colour scale. Rows of
   * runs no longer listed are dropped.
   */
  setRuns(runs: readonly ChartRun[]): void {
    this.runs = [...runs];
    const labels = new Set(runs.map((r) => r.label));
    for (const id of CHART_IDS) {
      this.rows.set(
        id,
        (this.rows.get(id) ?? []).filter((r) => labels.has(r.run)),
      );
      this.pending.set(id, []);
    }
    this.rebuild = true;
    this.schedule();
  }

  /** Queues the rows of one record of a run (by its label) for the next frame. */
  add(label: string, record: RunRecord): void {
    const added = rowsOf(label, record);
    for (const id of CHART_IDS) {
      const rows = added[id];
      if (rows === undefined) continue;
      this.rows.get(id)?.push(...rows);
      this.pending.get(id)?.push(...rows);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.frame !== null || this.timer !== null) return;
    // At most one render a frame, and at most one per MIN_RENDER_INTERVAL_MS: the training workers
    // share the CPU with the page, and a chart a tenth of a second old still reads as live.
    const wait = this.lastRender + MIN_RENDER_INTERVAL_MS - performance.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.schedule();
      }, wait);
      return;
    }
    this.frame = requestAnimationFrame(() => {
      this.frame = null;
      this.lastRender = performance.now();
      void this.render();
    });
  }

  private async render(): Promise<void> {
    if (this.rendering) {
      // A render is still running: draw what arrived meanwhile right after it.
      this.again = true;
      return;
    }
    this.rendering = true;
    try {
      if (this.rebuild) {
        this.rebuild = false;
        for (const id of CHART_IDS) {
          this.views.get(id)?.finalize();
          const container = this.containers[id];
          container.replaceChildren();
          const view = new View(parse(compile(chartSpec(id, this.runs)).spec), {
            renderer: 'svg',
            container,
            hover: true,
          });
          // Copies: vega tags each row it ingests, and the stored rows feed later rebuilds.
          view.change(
            CHART_DATA,
            changeset().insert((this.rows.get(id) ?? []).map((r) => ({ ...r }))),
          );
          this.views.set(id, view);
          this.pending.set(id, []);
        }
      } else {
        for (const id of CHART_IDS) {
          const rows = this.pending.get(id) ?? [];
          if (rows.length === 0) continue;
          this.views.get(id)?.change(CHART_DATA, changeset().insert(rows.map((r) => ({ ...r }))));
          this.pending.set(id, []);
        }
      }
      await Promise.all(CHART_IDS.map((id) => this.views.get(id)?.runAsync()));
      for (const id of CHART_IDS) {
        const view = this.views.get(id);
        if (view === undefined) continue;
        this.containers[id].setAttribute('data-points', String(view.data(CHART_DATA).length));
      }
    } catch (e) {
      // A chart that fails must not take the runs down with it: say so where the chart was.
      for (const id of CHART_IDS) {
        const note = document.createElement('p');
        note.className = 'chart-error';
        note.textContent = `This chart could not be drawn: ${e instanceof Error ? e.message : String(e)}`;
        this.containers[id].replaceChildren(note);
      }
      console.error(e);
    } finally {
      this.rendering = false;
      if (this.again) {
        this.again = false;
        this.schedule();
      }
    }
  }
}
