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

/** A figure the issues ask the benchmark to report. */
export interface TargetResult {
  readonly id:
    | 'speedupVsTfDropout'
    | 'fasterThanCpuKernel'
    | 'kernelVsAdd'
    | 'endToEndVsTfDropout'
    | 'backwardNoMask';
  readonly text: string;
  /** The size it is judged at. */
  readonly size: number;
  /** Null when that size (or the op) was not measured in this run. */
  readonly met: boolean | null;
  /** What was measured, in words, with the figure. */
  readonly measured: string;
}

/** 4M: the size the cpu and wasm targets are stated at. */
export const TARGET_SIZE = 4 * 1024 * 1024;
/** 64M: the size the WebGPU targets are stated at (anchors.md, H100). */
export const GPU_TARGET_SIZE = 64 * 1024 * 1024;
/** The speed-up over tf.dropout asked of fused dropout on cpu and on wasm. */
export const TARGET_SPEEDUP = 15;
/** wasm dropout against dropkit's cpu kernel. */
export const TARGET_WASM_OVER_CPU = 2;
/** WebGPU dropout kernel GB/s against tf.add's, both at 8 bytes per element. */
export const TARGET_KERNEL_VS_ADD = 0.8;
/** WebGPU dropout end to end against tf.dropout end to end. */
export const TARGET_GPU_END_TO_END = 100;

const notMeasured = (what: string, size: number) =>
  `not measured (${what} at ${formatSize(size)} is not part of this run)`;

function ratioTarget(
  id: TargetResult['id'],
  text: string,
  size: number,
  ratio: number | null,
  goal: number,
  detail: string,
): TargetResult {
  return {
    id,
    text,
    size,
    met: ratio === null ? null : ratio >= goal,
    measured: ratio === null ? notMeasured('dropout', size) : `${fmtRatio(ratio)} (${detail})`,
  };
}

/**
 * Judges the issues' targets for this backend against the rows of a run: on cpu and wasm the
 * speed-up over tf.dropout at 4M (wasm also against dropkit's cpu kernel), on webgpu the kernel
 * bandwidth against tf.add and the end-to-end speed-up at 64M; everywhere, that the backward pass
 * keeps no mask.
 *
 * @param rows - the measured rows.
 * @param backend - the backend they were measured on.
 */
export function evaluateTargets(rows: readonly OpsBenchRow[], backend: string): TargetResult[] {
  const dropoutAt = (size: number) => rows.find((r) => r.op === 'dropout' && r.size === size);
  const targets: TargetResult[] = [];
  if (backend === 'webgpu') {
    const r = dropoutAt(GPU_TARGET_SIZE);
    const k = r?.kernelGBps;
    const kernelRatio = k?.fused != null && k.add != null ? k.fused / k.add : null;
    targets.push(
      ratioTarget(
        'kernelVsAdd',
        `The fused WebGPU dropout kernel reaches at least ${TARGET_KERNEL_VS_ADD}x the GB/s of tf.add of the same size (64M)`,
        GPU_TARGET_SIZE,
        kernelRatio,
        TARGET_KERNEL_VS_ADD,
        `fused ${k?.fused?.toFixed(0)} GB/s vs tf.add ${k?.add?.toFixed(0)} GB/s, kernel times, 8 bytes per element`,
      ),
      ratioTarget(
        'endToEndVsTfDropout',
        `End to end, fused WebGPU dropout is at least ${TARGET_GPU_END_TO_END}x faster than tf.dropout (64M)`,
        GPU_TARGET_SIZE,
        r?.ratios.tfDropoutOverFused ?? null,
        TARGET_GPU_END_TO_END,
        `tf.dropout ${fmtMs(r?.medianMs.tfDropout ?? null)} ms vs fused ${fmtMs(r?.medianMs.fused ?? null)} ms`,
      ),
    );
  } else {
    const r = dropoutAt(TARGET_SIZE);
    targets.push(
      ratioTarget(
        'speedupVsTfDropout',
        `Fused dropout is at least ${TARGET_SPEEDUP}x faster than tf.dropout on the ${backend} backend at 4M elements`,
        TARGET_SIZE,
        r?.ratios.tfDropoutOverFused ?? null,
        TARGET_SPEEDUP,
        `tf.dropout ${fmtMs(r?.medianMs.tfDropout ?? null)} ms vs fused ${fmtMs(r?.medianMs.fused ?? null)} ms`,
      ),
    );
    if (backend === 'wasm') {
      const cpu = r?.cpuKernelMs ?? null;
      targets.push(
        ratioTarget(
          'fasterThanCpuKernel',
          `Fused wasm dropout is at least ${TARGET_WASM_OVER_CPU}x faster than dropkit's cpu kernel at 4M elements`,
          TARGET_SIZE,
          cpu === null || r === undefined ? null : cpu / (r.medianMs.fused as number),
          TARGET_WASM_OVER_CPU,
          `cpu kernel ${fmtMs(cpu)} ms vs wasm fused ${fmtMs(r?.medianMs.fused ?? null)} ms, same values, same process`,
        ),
      );
    }
  }
  const at = rows.filter((r) => r.size === TARGET_SIZE);
  const measuredBytes = at.filter((r) => r.backwardBytes.fused.perOutput !== null);
  const over = measuredBytes.filter((r) => (r.backwardBytes.fused.perOutput as number) > 1);
  const worst = [...measuredBytes].sort(
    (a, b) =>
      (b.backwardBytes.fused.perOutput as number) - (a.backwardBytes.fused.perOutput as number),
  )[0];
  targets.push({
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
  });
  return targets;
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

/**
 * The device-time table (backends whose `tf.time` reports kernel times): each variant's kernels,
 * GB/s at 8 bytes per element, and the fused kernel's bandwidth against tf.add's.
 */
export function kernelTable(rows: readonly OpsBenchRow[]): string {
  const gb = (v: number | null | undefined) => (v == null ? na : v.toFixed(0));
  return markdownTable(
    [
      'op',
      'size',
      'fused kernel ms',
      'tf.dropout kernels ms',
      'tf.add kernel ms',
      'fused GB/s',
      'tf.dropout GB/s',
      'tf.add GB/s',
      'fused / add GB/s',
    ],
    rows
      .filter((r) => r.kernelMedianMs !== null)
      .map((r) => {
        const k = r.kernelMedianMs;
        const g = r.kernelGBps;
        return [
          r.op,
          formatSize(r.size),
          fmtMs(k?.fused ?? null),
          fmtMs(k?.tfDropout ?? null),
          fmtMs(k?.add ?? null),
          gb(g?.fused),
          gb(g?.tfDropout),
          gb(g?.add),
          g?.fused != null && g.add != null ? fmtRatio(g.fused / g.add) : na,
        ];
      }),
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

/** The closing paragraph: host, method and the targets. */
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
    ...targets.map(
      (t) => `Target "${t.text}": ${verdict(t)} at ${formatSize(t.size)}, ${t.measured}.`,
    ),
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
    ...(rows.some((r) => r.kernelMedianMs !== null)
      ? [
          '## Device kernel time, ms (tf.time, median)',
          '',
          kernelTable(rows),
          '',
          "Kernel times leave out tf.dropout's JavaScript random loop and upload; the wall times above include them.",
          '',
        ]
      : []),
    ...(rows.some((r) => r.cpuKernelMs !== null)
      ? [
          `dropkit's TypeScript reference kernel (dropoutImpl) on the same values, same process: ${rows
            .filter((r) => r.cpuKernelMs !== null)
            .map(
              (r) =>
                `${formatSize(r.size)} ${fmtMs(r.cpuKernelMs)} ms (${fmtRatio((r.cpuKernelMs as number) / (r.medianMs.fused as number))} the fused ${ctx.host.backend} op's time)`,
            )
            .join('; ')}.`,
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
