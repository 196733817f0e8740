import type { ChartRun } from '../charts/chartSpec.ts';
import type { RunRecord } from '../training/records.ts';
import type { RunConfig } from '../training/runConfig.ts';
import { toJsonl } from '../training/toJsonl.ts';
import type { FromWorker, StartMessage } from '../worker/messages.ts';
import { downloadText } from './downloadText.ts';
import { RunCard, type RunStatus } from './RunCard.ts';

/** At most this many runs are shown (and charted) at once. */
export const MAX_RUNS = 4;

/** One colour per slot, fixed: a run keeps its slot's colour in every chart. */
export const SLOT_COLOURS = ['#1f77b4', '#e4572e', '#2ca02c', '#9467bd'] as const;

/** What the page keeps for its performance test hook (`window.__dropkitDemo`). */
export interface DemoHooks {
  firstPaintMs?: number;
  stepTimesMs: Record<string, number[]>;
}

/** The charts as the board feeds them (loaded later, so optional). */
export interface ChartSink {
  setRuns(runs: readonly ChartRun[]): void;
  add(label: string, record: RunRecord): void;
}

interface Run {
  readonly id: string;
  readonly slot: number;
  readonly label: string;
  readonly config: RunConfig;
  readonly card: RunCard;
  readonly records: RunRecord[];
  status: RunStatus;
  worker: Worker | null;
}

const ACTIVE: readonly RunStatus[] = ['starting', 'running'];

function shortSchedule(c: RunConfig): string {
  switch (c.schedule) {
    case 'none':
      return 'no dropout';
    case 'standard':
      return `standard ${c.rate}`;
    case 'early':
      return `early ${c.rate} → 0 @${c.cutoff}`;
    case 'late':
      return `late ${c.rate} @${c.cutoff}`;
  }
}

/** Everything the board needs from the page. */
export interface RunBoardOptions {
  /** `#runs`: the cards go here. */
  readonly list: HTMLElement;
  /** Shown while there is no run. */
  readonly empty: HTMLElement;
  /** `#backend-status`. */
  readonly backendStatus: HTMLElement;
  /** Where `mnist-subset.bin` is served (resolved against the page, for any sub-path). */
  readonly mnistUrl: string;
  readonly hooks: DemoHooks;
  /** Called whenever runs start, end or go: the form updates its start button. */
  readonly onChange: () => void;
  /** Makes a training worker (a module worker of `training.worker.ts`). */
  readonly createWorker: () => Worker;
}

/**
 * The runs of the page: one worker each, a card each in `#runs`, a colour slot each, their
 * records kept for the charts and the JSONL export.
 */
export class RunBoard {
  private readonly runs: Run[] = [];
  private nextId = 1;
  private charts: ChartSink | null = null;
  private lastStarted: string | null = null;

  /** @param options - {@link RunBoardOptions}. */
  constructor(private readonly options: RunBoardOptions) {}

  /** Connects the charts once they are loaded, and gives them everything so far. */
  attachCharts(charts: ChartSink): void {
    this.charts = charts;
    charts.setRuns(this.chartRuns());
    for (const run of this.runs) for (const r of run.records) charts.add(run.label, r);
  }

  /**
   * Whether a run can start now, and what starting does: refused while {@link MAX_RUNS} runs are
   * active; with {@link MAX_RUNS} runs shown and one finished, the oldest finished one gives up
   * its place (and says so).
   */
  startState(): { disabled: boolean; hint: string } {
    if (this.runs.length < MAX_RUNS) return { disabled: false, hint: '' };
    const victim = this.replaceable();
    if (victim === undefined) {
      return {
        disabled: true,
        hint: `${MAX_RUNS} runs are running, the most the page shows: stop or remove one to start another.`,
      };
    }
    return {
      disabled: false,
      hint: `${MAX_RUNS} runs are shown: starting another removes run ${victim.label} (${victim.status}).`,
    };
  }

  private replaceable(): Run | undefined {
    return this.runs.find((r) => !ACTIVE.includes(r.status));
  }

  /** Starts a run of this config in a new worker; returns its id. */
  start(config: RunConfig): string {
    if (this.runs.length >= MAX_RUNS) {
      const victim = this.replaceable();
      if (victim === undefined)
        throw new Error('No free run slot: the start button should be off.');
      this.remove(victim.id);
    }
    const used = new Set(this.runs.map((r) => r.slot));
    const slot = [...SLOT_COLOURS.keys()].find((s) => !used.has(s)) as number;
    const id = String(this.nextId++);
    const label = `#${id} ${config.model} ${shortSchedule(config)}`;
    const card = new RunCard({
      id,
      label,
      colour: SLOT_COLOURS[slot] as string,
      config,
      onStop: () => this.stop(id),
      onRemove: () => this.remove(id),
      onExport: () => this.export(id),
    });
    const run: Run = {
      id,
      slot,
      label,
      config,
      card,
      records: [],
      status: 'starting',
      worker: null,
    };
    this.runs.push(run);
    this.runs.sort((a, b) => a.slot - b.slot);
    this.options.list.append(card.element);
    this.options.empty.hidden = true;
    this.options.hooks.stepTimesMs[id] = [];
    this.lastStarted = id;
    this.charts?.setRuns(this.chartRuns());

    const worker = this.options.createWorker();
    run.worker = worker;
    worker.addEventListener('message', (event: MessageEvent<FromWorker>) =>
      this.receive(run, event.data),
    );
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.fail(run, `The training worker failed: ${event.message || 'it could not be loaded'}.`);
    });
    const message: StartMessage = {
      type: 'start',
      runId: id,
      config,
      mnistUrl: this.options.mnistUrl,
    };
    worker.postMessage(message);
    card.setStatus('starting');
    this.options.onChange();
    return id;
  }

  private chartRuns(): ChartRun[] {
    return this.runs.map((r) => ({
      label: r.label,
      colour: SLOT_COLOURS[r.slot] as string,
      steps: r.config.steps,
    }));
  }

  private find(id: string): Run | undefined {
    return this.runs.find((r) => r.id === id);
  }

  private setStatus(run: Run, status: RunStatus): void {
    run.status = status;
    run.card.setStatus(status);
    if (!ACTIVE.includes(status)) {
      run.worker?.terminate();
      run.worker = null;
    }
    this.options.onChange();
  }

  private fail(run: Run, message: string): void {
    if (!ACTIVE.includes(run.status)) return;
    run.card.showError(message);
    this.setStatus(run, 'error');
  }

  private record(run: Run, record: RunRecord): void {
    run.records.push(record);
    this.charts?.add(run.label, record);
  }

  private receive(run: Run, message: FromWorker): void {
    // A worker being torn down may still deliver: a finished run takes nothing more.
    if (!ACTIVE.includes(run.status) || this.find(run.id) !== run) return;
    switch (message.type) {
      case 'backend': {
        const { tfBackend, reason } = message.backend;
        run.card.setBackend(tfBackend, reason);
        if (this.lastStarted === run.id) {
          const status = this.options.backendStatus;
          status.setAttribute('data-backend', tfBackend);
          status.textContent = `Run ${run.label} trains on ${tfBackend}: ${reason}.`;
        }
        return;
      }
      case 'ready':
        run.card.setLatest(
          `${message.parameters.toLocaleString('en')} parameters · ${message.trainSize.toLocaleString('en')} training examples (${message.stepsPerEpoch} steps an epoch) · ${message.testSize.toLocaleString('en')} test examples`,
        );
        this.setStatus(run, 'running');
        return;
      case 'step':
        this.record(run, message.record);
        this.options.hooks.stepTimesMs[run.id]?.push(message.record.ms);
        run.card.setSteps(message.record.step + 1);
        return;
      case 'eval':
        this.record(run, message.record);
        run.card.setLatest(
          `after ${message.record.step} steps: ${RunCard.evaluationText(message.record)}`,
        );
        return;
      case 'diagnostics':
        this.record(run, message.record);
        return;
      case 'done':
        run.card.setSteps(message.steps);
        this.setStatus(run, 'done');
        return;
      case 'error':
        this.fail(run, `Failed after ${message.step} steps: ${message.message}`);
        return;
    }
  }

  /** Stops a run: its worker is terminated, what it recorded stays. */
  stop(id: string): void {
    const run = this.find(id);
    if (run === undefined || !ACTIVE.includes(run.status)) return;
    this.setStatus(run, 'stopped');
  }

  /** Removes a run: stops it, drops its card, its lines in the charts and its colour slot. */
  remove(id: string): void {
    const run = this.find(id);
    if (run === undefined) return;
    run.worker?.terminate();
    run.worker = null;
    run.status = 'stopped';
    this.runs.splice(this.runs.indexOf(run), 1);
    run.card.element.remove();
    delete this.options.hooks.stepTimesMs[id];
    this.options.empty.hidden = this.runs.length > 0;
    this.charts?.setRuns(this.chartRuns());
    this.options.onChange();
  }

  /** Downloads a run's records as `<run-name>.jsonl`. */
  export(id: string): void {
    const run = this.find(id);
    if (run === undefined) return;
    downloadText(run.card.fileName, toJsonl(run.records));
  }
}
