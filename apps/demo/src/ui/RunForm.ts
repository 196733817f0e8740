import type { InvalidArgumentError } from '@dropkit/core';
import {
  checkRunConfig,
  DEFAULT_RUN_CONFIG,
  IMAGE_MODELS,
  type ModelName,
  type RunConfig,
} from '../training/runConfig.ts';
import { byId } from './element.ts';

const SCHEDULE_HINTS: Readonly<Record<string, string>> = {
  none: 'No dropout at any step.',
  standard: 'The rate p at every step.',
  early: 'p at step 0, falling linearly to 0 at the cutoff, then off: for underfitting models.',
  late: 'Off until the cutoff, then p to the end: for overfitting models.',
};

/** The input of each config field (ids fixed by the page's DOM contract). */
const FIELD_IDS: Readonly<Record<keyof RunConfig, string>> = {
  dataset: 'dataset',
  model: 'model',
  schedule: 'schedule',
  rate: 'rate',
  cutoff: 'cutoff',
  steps: 'steps',
  seed: 'seed',
  backend: 'backend',
  batchSize: 'batch-size',
  learningRate: 'learning-rate',
  evalEvery: 'eval-every',
  diagnosticsEvery: 'diagnostics-every',
};

const NUMERIC: readonly (keyof RunConfig)[] = [
  'rate',
  'cutoff',
  'steps',
  'seed',
  'batchSize',
  'learningRate',
  'evalEvery',
  'diagnosticsEvery',
];

type Field = HTMLInputElement | HTMLSelectElement;

/** The training form: reads and checks the fields, shows errors next to them. */
export class RunForm {
  private readonly fields: Readonly<Record<keyof RunConfig, Field>>;
  private readonly modelNote: HTMLElement;
  private readonly scheduleHint: HTMLElement;
  private readonly start: HTMLButtonElement;
  private readonly startHint: HTMLElement;

  /**
   * @param form - the `<form>` holding the fields.
   * @param onStart - called with a checked config when the form is submitted without errors.
   */
  constructor(form: HTMLFormElement, onStart: (config: RunConfig) => void) {
    const entries = Object.entries(FIELD_IDS).map(([key, id]) => {
      const el = document.getElementById(id);
      if (!(el instanceof HTMLInputElement || el instanceof HTMLSelectElement)) {
        throw new Error(`index.html has no field #${id}.`);
      }
      return [key, el] as const;
    });
    this.fields = Object.fromEntries(entries) as unknown as Record<keyof RunConfig, Field>;
    this.modelNote = byId('model-note', HTMLElement);
    this.scheduleHint = byId('schedule-hint', HTMLElement);
    this.start = byId('start-run', HTMLButtonElement);
    this.startHint = byId('start-hint', HTMLElement);
    for (const [key, value] of Object.entries(DEFAULT_RUN_CONFIG)) {
      this.fields[key as keyof RunConfig].value = String(value);
    }
    this.fields.dataset.addEventListener('change', () => this.syncModels());
    this.fields.schedule.addEventListener('change', () => this.syncSchedule());
    for (const field of Object.values(this.fields)) {
      // A field being edited loses its stale error at once.
      field.addEventListener('input', () => this.clearError(field));
    }
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (this.start.disabled) return;
      const config = this.check();
      if (config !== null) onStart(config);
    });
    this.syncModels();
    this.syncSchedule();
  }

  /** The fields as the config checker takes them: numbers, or the raw text when it is not one. */
  read(): Record<keyof RunConfig, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(this.fields)) {
      const text = field.value.trim();
      out[key] = NUMERIC.includes(key as keyof RunConfig)
        ? text === '' || Number.isNaN(Number(text))
          ? text
          : Number(text)
        : text;
    }
    return out as Record<keyof RunConfig, unknown>;
  }

  /** Checks the fields; shows every error next to its field and returns null if there is one. */
  check(): RunConfig | null {
    for (const field of Object.values(this.fields)) this.clearError(field);
    const result = checkRunConfig(this.read());
    if (result.ok) return result.config;
    for (const error of result.errors) this.showError(error);
    const first = result.errors[0];
    if (first !== undefined) this.fields[first.parameter as keyof RunConfig]?.focus();
    return null;
  }

  /** Enables or disables the start button, with the reason (or what starting will do) next to it. */
  setStart(state: { readonly disabled: boolean; readonly hint: string }): void {
    this.start.disabled = state.disabled;
    this.start.textContent = state.disabled ? 'Start run (4 running)' : 'Start run';
    this.start.title = state.hint;
    this.startHint.textContent = state.hint;
    this.startHint.hidden = state.hint === '';
  }

  private errorElement(field: Field): HTMLElement | null {
    return document.getElementById(`${field.id}-error`);
  }

  private showError(error: InvalidArgumentError): void {
    const field = this.fields[error.parameter as keyof RunConfig];
    if (field === undefined) return;
    const note = this.errorElement(field);
    field.setAttribute('aria-invalid', 'true');
    if (note !== null) {
      note.textContent = error.message;
      note.hidden = false;
    }
    // An error on an advanced field must be visible too.
    const details = field.closest('details');
    if (details !== null) details.open = true;
  }

  private clearError(field: Field): void {
    field.removeAttribute('aria-invalid');
    const note = this.errorElement(field);
    if (note !== null) {
      note.textContent = '';
      note.hidden = true;
    }
  }

  /** The ViT and the CNN need images: only MNIST has them. */
  private syncModels(): void {
    const images = this.fields.dataset.value === 'mnist';
    const select = this.fields.model as HTMLSelectElement;
    for (const option of Array.from(select.options)) {
      option.disabled = !images && IMAGE_MODELS.includes(option.value as ModelName);
    }
    let note = '';
    if (!images) {
      note = 'The ViT and the CNN need images: they train on MNIST only.';
      if (IMAGE_MODELS.includes(select.value as ModelName)) {
        note = `${note} Switched to the MLP.`;
        select.value = 'mlp';
      }
    }
    this.modelNote.textContent = note;
    this.modelNote.hidden = note === '';
    this.clearError(select);
  }

  /** `none` uses neither the rate nor the cutoff; `standard` no cutoff. */
  private syncSchedule(): void {
    const schedule = this.fields.schedule.value;
    this.scheduleHint.textContent = SCHEDULE_HINTS[schedule] ?? '';
    this.fields.rate.disabled = schedule === 'none';
    this.fields.cutoff.disabled = schedule === 'none' || schedule === 'standard';
    if (this.fields.rate.disabled) this.clearError(this.fields.rate);
    if (this.fields.cutoff.disabled) this.clearError(this.fields.cutoff);
  }
}
