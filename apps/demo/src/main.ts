// The page's entry: small on purpose. The form and the run list work at once; vega (the charts)
// and tfjs (the playground) arrive in chunks loaded after the first paint, and training runs in
// workers.
import './styles.css';
import { CHART_IDS, type ChartId } from './charts/rowsOf.ts';
import { MNIST_SUBSET_FILE } from './data/mnistSubset.ts';
import { byId } from './ui/element.ts';
import { type DemoHooks, RunBoard } from './ui/RunBoard.ts';
import { RunForm } from './ui/RunForm.ts';

declare global {
  interface Window {
    __dropkitDemo: DemoHooks;
  }
}

const hooks: DemoHooks = { stepTimesMs: {} };
window.__dropkitDemo = hooks;

function recordFirstPaint(): void {
  const take = (entries: readonly PerformanceEntry[]) => {
    const paint = entries.find((e) => e.name === 'first-contentful-paint');
    if (paint !== undefined && hooks.firstPaintMs === undefined)
      hooks.firstPaintMs = paint.startTime;
  };
  if (typeof PerformanceObserver !== 'undefined') {
    try {
      new PerformanceObserver((list) => take(list.getEntries())).observe({
        type: 'paint',
        buffered: true,
      });
      return;
    } catch {
      // No paint timing in this browser: fall back to the frame after the first one.
    }
  }
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      hooks.firstPaintMs ??= performance.now();
    }),
  );
}

/** Runs `task` once the page has painted and the browser is idle (or after a short wait). */
function afterFirstPaint(task: () => void): void {
  requestAnimationFrame(() => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(task, { timeout: 500 });
    else setTimeout(task, 50);
  });
}

function showLoadError(container: HTMLElement, what: string, e: unknown): void {
  const note = document.createElement('p');
  note.className = 'load-error';
  note.setAttribute('role', 'alert');
  note.textContent = `The ${what} could not be loaded: ${e instanceof Error ? e.message : String(e)}`;
  container.append(note);
  console.error(e);
}

recordFirstPaint();

const chartContainers = Object.fromEntries(
  CHART_IDS.map((id) => [id, byId(id, HTMLElement)]),
) as Record<ChartId, HTMLElement>;

let form: RunForm | undefined;
const board = new RunBoard({
  list: byId('runs', HTMLElement),
  empty: byId('runs-empty', HTMLElement),
  backendStatus: byId('backend-status', HTMLElement),
  mnistUrl: new URL(MNIST_SUBSET_FILE, document.baseURI).href,
  hooks,
  onChange: () => form?.setStart(board.startState()),
  createWorker: () =>
    new Worker(new URL('./worker/training.worker.ts', import.meta.url), {
      type: 'module',
      name: 'dropkit-training',
    }),
});
form = new RunForm(byId('run-form', HTMLFormElement), (config) => board.start(config));
form.setStart(board.startState());

afterFirstPaint(() => {
  import('./charts/LiveCharts.ts')
    .then(({ LiveCharts }) => board.attachCharts(new LiveCharts(chartContainers)))
    .catch((e: unknown) => showLoadError(byId('charts', HTMLElement), 'charts', e));
  const playground = byId('playground', HTMLElement);
  import('./playground/mountPlayground.ts')
    .then(({ mountPlayground }) => mountPlayground(playground))
    .catch((e: unknown) => showLoadError(playground, 'op playground', e));
});
