import { describeRunConfig, type RunConfig } from '../training/runConfig.ts';
import { element } from './element.ts';

/** Where a run is: the `data-status` of its card. */
export type RunStatus = 'starting' | 'running' | 'done' | 'error' | 'stopped';

/** What a card shows of its run. */
export interface RunCardInit {
  readonly id: string;
  readonly label: string;
  readonly colour: string;
  readonly config: RunConfig;
  readonly onStop: () => void;
  readonly onRemove: () => void;
  readonly onExport: () => void;
}

const STATUS_TEXT: Readonly<Record<RunStatus, string>> = {
  starting: 'starting',
  running: 'running',
  done: 'done',
  error: 'error',
  stopped: 'stopped',
};

const fixed = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : '–');

/** A run's card in `#runs`: its config, colour, progress, latest numbers, error and buttons. */
export class RunCard {
  readonly element: HTMLElement;
  private readonly status: HTMLElement;
  private readonly progress: HTMLProgressElement;
  private readonly progressText: HTMLElement;
  private readonly backend: HTMLElement;
  private readonly latest: HTMLElement;
  private readonly error: HTMLElement;
  private readonly stop: HTMLButtonElement;

  /** @param init - {@link RunCardInit}. */
  constructor(private readonly init: RunCardInit) {
    const c = init.config;
    this.status = element('span', { class: 'run-status', 'data-role': 'status' }, 'starting');
    this.progress = element('progress', { max: String(c.steps), value: '0' });
    this.progressText = element('span', { 'data-role': 'progress' }, `0 / ${c.steps} steps`);
    this.backend = element('span', { 'data-role': 'backend' }, `backend: ${c.backend}…`);
    this.latest = element('p', { class: 'run-latest', 'data-role': 'latest' });
    this.error = element('p', { class: 'run-error', 'data-role': 'error', role: 'alert' });
    this.error.hidden = true;
    this.stop = element('button', { type: 'button', 'data-action': 'stop' }, 'Stop');
    const remove = element('button', { type: 'button', 'data-action': 'remove' }, 'Remove');
    const exportButton = element(
      'button',
      { type: 'button', 'data-action': 'export', title: `Download ${this.fileName}` },
      'Export JSONL',
    );
    this.stop.addEventListener('click', init.onStop);
    remove.addEventListener('click', init.onRemove);
    exportButton.addEventListener('click', init.onExport);
    const details = [
      `${c.steps} steps`,
      `batch ${c.batchSize}`,
      `Adam ${c.learningRate}`,
      `seed ${c.seed}`,
      `asked for ${c.backend}`,
    ].join(' · ');
    this.element = element(
      'article',
      {
        class: 'run-card',
        'data-run-id': init.id,
        'data-status': 'starting',
        'data-steps': '0',
        'data-backend': '',
        style: `--run-colour: ${init.colour}`,
      },
      element(
        'header',
        {},
        element('span', { class: 'run-swatch', title: `colour in the charts: ${init.colour}` }),
        element('strong', { class: 'run-label' }, init.label),
        this.status,
      ),
      element('p', { class: 'run-config' }, describeRunConfig(c)),
      element('p', { class: 'run-details' }, details),
      element('div', { class: 'run-progress' }, this.progress, this.progressText, this.backend),
      this.latest,
      this.error,
      element('div', { class: 'run-actions' }, this.stop, remove, exportButton),
    );
  }

  /** The export's file name: `<run-name>.jsonl`. */
  get fileName(): string {
    const c = this.init.config;
    const schedule = c.schedule === 'none' ? 'none' : `${c.schedule}-${c.rate}`;
    return `run-${this.init.id}-${c.dataset}-${c.model}-${schedule}-seed${c.seed}.jsonl`;
  }

  setStatus(status: RunStatus): void {
    this.element.setAttribute('data-status', status);
    this.status.textContent = STATUS_TEXT[status];
    this.stop.disabled = status !== 'starting' && status !== 'running';
  }

  setBackend(tfBackend: string, reason: string): void {
    this.element.setAttribute('data-backend', tfBackend);
    this.backend.textContent = `backend: ${tfBackend}`;
    this.backend.title = reason;
  }

  setSteps(done: number): void {
    this.element.setAttribute('data-steps', String(done));
    this.progress.value = done;
    this.progressText.textContent = `${done} / ${this.init.config.steps} steps`;
  }

  setLatest(text: string): void {
    this.latest.textContent = text;
  }

  showError(message: string): void {
    this.error.textContent = message;
    this.error.hidden = false;
  }

  /** A summary of the latest evaluation, for {@link RunCard.setLatest}. */
  static evaluationText(e: { testLoss: number; testAccuracy: number; trainLoss: number }): string {
    return `test loss ${fixed(e.testLoss, 3)}, accuracy ${fixed(100 * e.testAccuracy, 1)} % · train loss ${fixed(e.trainLoss, 3)}`;
  }
}
