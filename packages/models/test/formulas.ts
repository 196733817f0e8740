// Parameter counts written out by hand from the architectures, independent of the builders.

const dense = (inputs: number, units: number) => inputs * units + units;
const conv = (k: number, cin: number, cout: number, bias = true) =>
  k * k * cin * cout + (bias ? cout : 0);
const layerNorm = (c: number) => 2 * c;
// gamma, beta, moving mean, moving variance: all four count in "Total params".
const batchNorm = (c: number) => 4 * c;

export function mlpParams(inputs: number, hidden: readonly number[], classes: number): number {
  let total = 0;
  let width = inputs;
  for (const h of hidden) {
    total += dense(width, h);
    width = h;
  }
  return total + dense(width, classes);
}

export function smallCnnParams(
  [height, width, channels]: readonly [number, number, number],
  [f0, f1]: readonly [number, number],
  units: number,
  classes: number,
): number {
  const h = Math.floor(Math.floor(height / 2) / 2);
  const w = Math.floor(Math.floor(width / 2) / 2);
  return conv(3, channels, f0) + conv(3, f0, f1) + dense(h * w * f1, units) + dense(units, classes);
}

export function resnetParams(depth: number, channels: number, width: number, classes: number) {
  const n = (depth - 2) / 6;
  let total = conv(3, channels, width, false) + batchNorm(width);
  let cin = width;
  for (let s = 0; s < 3; s++) {
    const cout = width * 2 ** s;
    for (let b = 0; b < n; b++) {
      total += conv(3, cin, cout, false) + batchNorm(cout) + conv(3, cout, cout, false);
      total += batchNorm(cout);
      if (cin !== cout || (s > 0 && b === 0)) total += conv(1, cin, cout, false) + batchNorm(cout);
      cin = cout;
    }
  }
  return total + dense(cin, classes);
}

export interface VitShape {
  readonly tokens: number;
  readonly patch: number;
  readonly channels: number;
  readonly width: number;
  readonly depth: number;
  readonly hidden: number;
  readonly classes: number;
  readonly classToken: boolean;
}

export function vitParams(v: VitShape): number {
  const w = v.width;
  const embed = conv(v.patch, v.channels, w) + (v.tokens + (v.classToken ? 1 : 0)) * w;
  const attention = 3 * w * w + 3 * w + w * w + w;
  const block = layerNorm(w) + attention + layerNorm(w) + dense(w, v.hidden) + dense(v.hidden, w);
  return embed + (v.classToken ? w : 0) + v.depth * block + layerNorm(w) + dense(w, v.classes);
}

export interface MixerShape {
  readonly tokens: number;
  readonly patch: number;
  readonly channels: number;
  readonly width: number;
  readonly depth: number;
  readonly tokenHidden: number;
  readonly channelHidden: number;
  readonly classes: number;
}

export function mixerParams(m: MixerShape): number {
  const w = m.width;
  const block =
    layerNorm(w) +
    dense(m.tokens, m.tokenHidden) +
    dense(m.tokenHidden, m.tokens) +
    layerNorm(w) +
    dense(w, m.channelHidden) +
    dense(m.channelHidden, w);
  return conv(m.patch, m.channels, w) + m.depth * block + layerNorm(w) + dense(w, m.classes);
}

export function convNeXtParams(
  channels: number,
  depths: readonly number[],
  dims: readonly number[],
  stemPatch: number,
  classes: number,
): number {
  // depthwise 7x7 with bias, LayerNorm, 1x1 expand to 4d, 1x1 back to d, layer scale.
  const block = (d: number) => 49 * d + d + layerNorm(d) + dense(d, 4 * d) + dense(4 * d, d) + d;
  let total = conv(stemPatch, channels, dims[0] as number) + layerNorm(dims[0] as number);
  depths.forEach((n, s) => {
    const d = dims[s] as number;
    if (s > 0) total += layerNorm(dims[s - 1] as number) + conv(2, dims[s - 1] as number, d);
    total += n * block(d);
  });
  const last = dims[dims.length - 1] as number;
  return total + layerNorm(last) + dense(last, classes);
}
