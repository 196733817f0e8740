import { arch, cpus, release, totalmem, type } from 'node:os';
import { version_core } from '@tensorflow/tfjs-core';
import type { BackwardBytes, OpsBenchRow } from './opsBench.js';
import { markdownTable } from './scheduleTable.js';
import { formatSize } from './sizes.js';

/** The machine and software the figures were taken on. */
export interface HostInfo {
  readonly os: string;
  readonly cpu: string;
  readonly logicalCores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly tfjsCore: string;
  readonly backend: string;
  /** The backend's package and version, e.g. `@tensorflow/tfjs-backend-cpu@4.22.0`. */
  readonly backendPackage: string;
}

/**
 * The host as node:os and the loaded packages describe it.
 *
 * @param backend - the tfjs backend name.
 * @param backendPackage - its package and version.
 */
export function hostInfo(backend: string, backendPackage: string): HostInfo {
  const cores = cpus();
  return {
    os: `${type()} ${release()} ${arch()}`,
    cpu: cores[0]?.model.trim() || 'unknown cpu',
    logicalCores: cores.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    tfjsCore: version_core,
    backend,
    backendPackage,
  };
}

/** A figure the issue asks the benchmark to report. */
export interface TargetResult {
  readonly id: 'speedupVsTfDropout' | 'backwardNoMask';
  readonly text: string;
  /** The size it is judged at. */
  readonly size: number;
  /** Null when that size (or the op) was not measured in this run. */
  readonly met: boolean | null;
  /** What was measured, in words, with the figure. */
  readonly measured: string;
}

/** 4M: the size both targets are stated at. */
export const TARGET_SIZE = 4 * 1024 * 1024;
/** The speed-up over tf.dropout the issue asks of the fused cpu dropout. */
export const TARGET_SPEEDUP = 15;

/**
 * Judges the issue's two targets against the rows of a run.
 *
 * @param rows - the measured rows.
 * @param backend - the backend they were measured on (target 1 is stated for cpu).
 */
export function evaluateTargets(rows: readonly OpsBenchRow[], backend: string): TargetResult[] {
  const at = rows.filter((r) => r.size === TARGET_SIZE);
  const dropoutRow = at.find((r) => r.op === 'dropout');
  const speedup = dropoutRow?.ratios.tfDropoutOverFused ?? null;
  const first: TargetResult = {
    id: 'speedupVsTfDropout',
    text: `Fused CPU dropout is at least ${TARGET_SPEEDUP}x faster than tf.dropout on the cpu backend at 4M elements`,
    size: TARGET_SIZE,
    met: speedup === null ? null : speedup >= TARGET_SPEEDUP,
    measured:
      speedup === null
        ? 'not measured (dropout at 4M is not part of this run)'
        : `${fmtRatio(speedup)} (tf.dropout ${fmtMs(dropoutRow?.medianMs.tfDropout ?? null)} ms vs fused ${fmtMs(dropoutRow?.medianMs.fused ?? null)} ms)${backend === 'cpu' ? '' : `; measured on ${backend}, the target is stated for cpu`}`,
  };
  const measuredBytes = at.filter((r) => r.backwardBytes.fused.perOutput !== null);
  const over = measuredBytes.filter((r) => (r.backwardBytes.fused.perOutput as number) > 1);
  const worst = [...measuredBytes].sort(
    (a, b) =>
      (b.backwardBytes.fused.perOutput as number) - (a.backwardBytes.fused.perOutput as number),
  )[0];
  const second: TargetResult = {
    id: 'backwardNoMask',
    text: 'The backward pass allocates no mask: the bytes tf.memory() reports during backward are at most the size of the output',
    size: TARGET_SIZE,
    met: worst === undefined ? null : over.length === 0,
    measured:
      worst === undefined
        ? 'not measured (no op at 4M in this run)'
        : over.length === 0
          ? `all ${measuredBytes.length} ops within the output size; largest ${worst.op} at ${fmtPerOutput(worst.backwardBytes.fused.perOutput)} of the output`
          : `over the output size: ${over.map((r) => `${r.op} ${fmtPerOutput(r.backwardBytes.fused.perOutput)}`).join(', ')}`,
  };
  return [first, second];
}

/** Everything a report needs besides the rows. */
export interface OpsReportContext {
  readonly host: HostInfo;
  readonly command: string;
  readonly runs: number;
  readonly warmup: number;
  readonly quick: boolean;
  /** Why tf.dropout's backward is n/a, or null when it was measured. */
  readonly tfDropoutBackwardUnavailable: string | null;
}

const na = 'n/a';

/** ms with about three significant digits. */
export function fmtMs(ms: number | null): string {
  if (ms === null) return na;
  if (ms < 1) return ms.toFixed(3);
  if (ms < 10) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  return ms.toFixed(0);
}

/** A ratio as `12.3x` / `0.85x`. */
export function fmtRatio(r: number | null): string {
  if (r === null) return na;
  return `${r < 10 ? r.toFixed(2) : r.toFixed(1)}x`;
}

function fmtPerOutput(p: number | null): string {
  return p === null ? na : `${p.toFixed(2)}x`;
}

function fmtBytes({ bytes: b, perOutput, error }: BackwardBytes): string {
  if (error !== undefined) return 'error (see notes)';
  if (b === null) return na;
  const mib = b / 2 ** 20;
  return `${mib >= 10 ? mib.toFixed(0) : mib.toFixed(2)} MiB (${fmtPerOutput(perOutput)})`;
}

/** The first table: median wall times. */
export function timesTable(rows: readonly OpsBenchRow[]): string {
  return markdownTable(
    [
      'op',
      'size',
      'elements',
      'fused ms',
      'fused fwd+bwd ms',
      'composed ms',
      'composed fwd+bwd ms',
      'tf.dropout ms',
      'tf.dropout fwd+bwd ms',
      'tf.add ms',
    ],
    rows.map((r) => [
      r.op,
      formatSize(r.size),
      r.elements.toLocaleString('en-US'),
      fmtMs(r.medianMs.fused),
      fmtMs(r.medianMs.fusedBackward),
      fmtMs(r.medianMs.composed),
      fmtMs(r.medianMs.composedBackward),
      fmtMs(r.medianMs.tfDropout),
      fmtMs(r.medianMs.tfDropoutBackward),
      fmtMs(r.medianMs.add),
    ]),
  );
}

/** The second table: ratios, bandwidth and backward-pass bytes. */
export function ratiosTable(rows: readonly OpsBenchRow[]): string {
  return markdownTable(
    [
      'op',
      'size',
      'tf.dropout / fused',
      'fused / add',
      'composed / fused',
      'composed / fused, fwd+bwd',
      'fused GB/s',
      'bwd bytes, fused',
      'bwd bytes, composed',
      'bwd bytes, tf.dropout',
    ],
    rows.map((r) => [
      r.op,
      formatSize(r.size),
      fmtRatio(r.ratios.tfDropoutOverFused),
      fmtRatio(r.ratios.fusedOverAdd),
      fmtRatio(r.ratios.composedOverFused),
      fmtRatio(r.ratios.composedOverFusedBackward),
      r.fusedGBps.toFixed(2),
      fmtBytes(r.backwardBytes.fused),
      fmtBytes(r.backwardBytes.composed),
      fmtBytes(r.backwardBytes.tfDropout),
    ]),
  );
}

/** One line naming the host, as every absolute time is labeled with it. */
export function hostLine(host: HostInfo): string {
  return `${host.os}, ${host.cpu} (${host.logicalCores} logical cores, ${host.memoryGiB} GiB), Node ${host.node}, @tensorflow/tfjs-core ${host.tfjsCore}, backend ${host.backend} (${host.backendPackage})`;
}

/** `op size path: message` for every backward-bytes measurement that threw. */
export function backwardErrors(rows: readonly OpsBenchRow[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    for (const [path, b] of Object.entries(r.backwardBytes) as [string, BackwardBytes][]) {
      if (b.error !== undefined)
        out.push(`${r.op} ${formatSize(r.size)}, ${path} path: ${b.error}`);
    }
  }
  return out;
}

/** The closing paragraph: host, method and the two targets at 4M. */
export function opsSummary(
  rows: readonly OpsBenchRow[],
  targets: readonly TargetResult[],
  ctx: OpsReportContext,
): string {
  const verdict = (t: TargetResult) => (t.met === null ? 'not judged' : t.met ? 'met' : 'NOT met');
  const parts = [
    ctx.quick
      ? 'QUICK MODE: tiny sizes and few runs to exercise the command; these are not benchmark figures.'
      : '',
    `Measured on ${hostLine(ctx.host)}.`,
    `Each figure is the median of ${ctx.runs} timed runs after ${ctx.warmup} warm-up run(s), the variants of an (op, size) block interleaved round by round; every run forces its result and disposes it.`,
    ctx.runs < 7 ? `Fewer than the 7 runs the issue asks for: indicative only.` : '',
    'Absolute times hold for this host only; the ratios are taken side by side in one process.',
    ...targets.map((t) => `Target "${t.text}": ${verdict(t)} at 4M, ${t.measured}.`),
    backwardErrors(rows).length > 0
      ? `${backwardErrors(rows).length} backward pass(es) threw when fed an intermediate tensor; see the notes.`
      : '',
    ctx.tfDropoutBackwardUnavailable === null
      ? ''
      : `tf.dropout fwd+bwd and its backward bytes are n/a: ${ctx.tfDropoutBackwardUnavailable}`,
  ];
  return parts.filter((p) => p !== '').join(' ');
}

/** The whole report as markdown: header, both tables, per-op notes and the summary. */
export function opsMarkdown(
  rows: readonly OpsBenchRow[],
  targets: readonly TargetResult[],
  ctx: OpsReportContext,
): string {
  const notes = [...new Map(rows.filter((r) => r.note).map((r) => [r.op, r.note])).entries()];
  const errors = backwardErrors(rows);
  const lines = [
    `# dropkit-bench ops --backend ${ctx.host.backend}`,
    '',
    ...(ctx.quick
      ? [
          '> **QUICK MODE** — tiny sizes and few runs, to check the command works. Not benchmark figures.',
          '',
        ]
      : []),
    `Host: ${hostLine(ctx.host)}.`,
    '',
    `Command: \`${ctx.command}\``,
    '',
    `## Median wall time, ms (on this host; ${ctx.runs} runs after ${ctx.warmup} warm-up)`,
    '',
    timesTable(rows),
    '',
    '## Ratios, bandwidth, backward-pass bytes',
    '',
    ratiosTable(rows),
    '',
    'fused GB/s counts 8 bytes per element (a float32 read and a float32 written). Backward bytes: what tf.memory() reports allocated when the backward pass has gone through the op, in MiB and as a multiple of the output size.',
    '',
    ...(notes.length > 0 ? ['Notes:', ...notes.map(([op, note]) => `- ${op}: ${note}`), ''] : []),
    ...(errors.length > 0
      ? [
          'Backward passes that threw when fed an intermediate tensor (as in a model):',
          ...errors.map((e) => `- ${e}`),
          '',
        ]
      : []),
    '## Summary',
    '',
    opsSummary(rows, targets, ctx),
    '',
  ];
  return lines.join('\n');
}
