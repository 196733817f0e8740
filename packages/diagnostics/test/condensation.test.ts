import { InvalidArgumentError } from '@dropkit/core';
import { describeWithBackends, expectClose, expectNoLeaks } from '@dropkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';
import {
  condensation,
  condensationClusters,
  condensationHeatmap,
  heatmapSvg,
  neuronCosineSimilarity,
} from '../src/index.js';
import { cos, lcg, orthogonal } from './helpers.js';

const INPUTS = 6;

/**
 * A dense layer whose 12 neurons' input weights (kernel column + bias, 7 numbers) lie on three
 * orientations, by construction: neuron j = s_j * u_group(j) + small noise, with signs mixed.
 * Groups: 6, 4 and 2 neurons.
 */
function threeOrientations() {
  const u = orthogonal(INPUTS + 1, 13).slice(0, 3);
  const groupOf = [0, 1, 0, 2, 0, 1, 0, 1, 2, 0, 1, 0];
  const next = lcg(99);
  const vectors = groupOf.map((g, j) => {
    const scale = (j % 3 === 0 ? -1 : 1) * (0.5 + Math.abs(next()));
    return (u[g] as number[]).map((v) => scale * v + 0.01 * next());
  });
  // Column j of the kernel is vectors[j] without its last entry; the bias is the last entry.
  const kernel = Array.from({ length: INPUTS }, (_, i) => vectors.map((v) => v[i] as number));
  const bias = vectors.map((v) => v[INPUTS] as number);
  return { kernel, bias, vectors, groupOf };
}

describeWithBackends('condensation', ({ it }) => {
  it('finds three orientation groups built into a layer, with the score', async () => {
    const { kernel, bias, vectors, groupOf } = threeOrientations();
    const k = tf.tensor2d(kernel);
    const b = tf.tensor1d(bias);
    const r = await expectNoLeaks(() => condensation({ kernel: k, bias: b }));
    expect(r.units).toBe(12);
    expect(r.clusterCount).toBe(3);
    expect(r.largestClusterFraction).toBe(0.5);
    const expectedGroups = [0, 1, 2].map((g) => groupOf.flatMap((h, j) => (h === g ? [j] : [])));
    expect(r.clusters).toEqual(expectedGroups); // sizes 6, 4, 2: largest first
    expect(r.order).toEqual(expectedGroups.flat());
    // The matrix: symmetric, unit diagonal, the float64 cosines of kernel column + bias.
    for (let i = 0; i < 12; i++) {
      expect(r.matrix[i]?.[i]).toBe(1);
      for (let j = 0; j < 12; j++) {
        expect(r.matrix[i]?.[j]).toBe(r.matrix[j]?.[i]);
        expectClose(
          r.matrix[i]?.[j] as number,
          cos(vectors[i] as number[], vectors[j] as number[]),
          { atol: 1e-5 },
        );
      }
    }
    // The same from arrays and from a tfjs-layers Dense layer.
    const fromArrays = await condensation({ kernel, bias });
    expect(fromArrays.clusters).toEqual(r.clusters);
    const layer = tfl.layers.dense({ units: 12, inputShape: [INPUTS] });
    tfl.sequential({ layers: [layer] });
    layer.setWeights([k, b]);
    const fromLayer = await expectNoLeaks(() => condensation(layer));
    expect(fromLayer.clusters).toEqual(r.clusters);
    expect(layer.getWeights()[0]?.isDisposed).toBe(false);
    tf.dispose([k, b]);
    layer.dispose();
  });

  it('appends the bias: parallel kernel columns with different biases are not one orientation', async () => {
    const kernel = [
      [1, 2],
      [1, 2],
    ];
    expect((await condensation({ kernel, bias: [1, 2] })).clusterCount).toBe(1);
    expect((await condensation({ kernel, bias: [1, -6] })).clusterCount).toBe(2);
    expect((await condensation({ kernel })).clusterCount).toBe(1);
  });

  it('a random layer has no condensation: one cluster per neuron', async () => {
    const layer = tfl.layers.dense({
      units: 16,
      inputShape: [32],
      kernelInitializer: 'glorotNormal',
    });
    tfl.sequential({ layers: [layer] });
    const r = await condensation(layer);
    // |cos| >= 0.95 between random 32-dimensional directions has probability ~1e-20.
    expect(r.clusterCount).toBe(16);
    expect(r.largestClusterFraction).toBe(1 / 16);
    layer.dispose();
  });

  it('clusters by single linkage (union-find) at |cos| >= threshold, opposite directions included', () => {
    const t = 0.95;
    // a-b and b-c are above the threshold, a-c is not: one cluster by the definition.
    const m = [
      [1, 0.96, 0.9, 0],
      [0.96, 1, -0.97, 0],
      [0.9, -0.97, 1, 0],
      [0, 0, 0, 1],
    ];
    const r = condensationClusters(m, { threshold: t });
    expect(r.clusters).toEqual([[0, 1, 2], [3]]);
    expect(r.largestClusterFraction).toBe(0.75);
    expect(condensationClusters(m, { threshold: 0.99 }).clusterCount).toBe(4);
    expect(condensationClusters(m, { threshold: 0.9 }).clusterCount).toBe(2);
    expect(() => condensationClusters(m, { threshold: 0 })).toThrow(/threshold/);
    expect(() => condensationClusters([[1, 0]])).toThrow(InvalidArgumentError);
  });

  it('gives a zero neuron no direction: cosine 0, its own cluster, listed', async () => {
    const r = await neuronCosineSimilarity({
      kernel: [
        [1, 0, 2],
        [1, 0, 2],
      ],
      bias: [0, 0, 0],
    });
    expect(r.zeroNeurons).toEqual([1]);
    expect(r.matrix[1]).toEqual([0, 0, 0]);
    expect(r.matrix[0]?.[2]).toBeCloseTo(1, 6);
    expect(condensationClusters(r.matrix).clusters).toEqual([[0, 2], [1]]);
  });

  it('rejects malformed weights', async () => {
    await expect(condensation({ kernel: [[1, 2], [3]] })).rejects.toThrow(/kernel/);
    await expect(condensation({ kernel: [[1, 2]], bias: [1] })).rejects.toThrow(/bias/);
    await expect(condensation({ kernel: [[1, Number.NaN]] })).rejects.toThrow(/kernel\[0\]\[1\]/);
    const v = tf.ones([3]);
    await expect(condensation({ kernel: v })).rejects.toThrow(/rank-2/);
    v.dispose();
  });
});

describeWithBackends('heat maps', ({ it }) => {
  it('draws one cell per entry, blue -1, white 0, red +1, in the given order', () => {
    const m = [
      [1, 0, -1],
      [0, 1, 0.5],
      [-1, 0.5, 1],
    ];
    const svg = heatmapSvg(m, { cellSize: 5, order: [2, 0, 1], title: 'a <b> & "c"' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="15" height="15"')).toBe(
      true,
    );
    expect(svg.endsWith('</svg>')).toBe(true);
    const cells = [
      ...svg.matchAll(/<rect x="(\d+)" y="(\d+)" width="5" height="5" fill="(#[0-9a-f]{6})"\/>/g),
    ];
    expect(cells).toHaveLength(9);
    const at = (r: number, c: number) =>
      cells.find((x) => x[1] === String(c * 5) && x[2] === String(r * 5))?.[3];
    // Row 0 shows neuron 2, column 1 shows neuron 0: m[2][0] = -1.
    expect(at(0, 1)).toBe('#0000ff');
    expect(at(0, 0)).toBe('#ff0000');
    expect(at(2, 1)).toBe('#ffffff'); // m[1][0] = 0
    expect(at(0, 2)).toBe('#ff8080'); // m[2][1] = 0.5
    expect(svg).toContain('<title>a &lt;b&gt; &amp; &quot;c&quot;</title>');
    expect(() => heatmapSvg(m, { order: [0, 0, 1] })).toThrow(/order/);
    expect(() => heatmapSvg([[1, 2]])).toThrow(/matrix/);
    expect(() => heatmapSvg([[Number.NaN]])).toThrow(/matrix\[0\]\[0\]/);
  });

  it('exports a condensation report as the SVG (cluster order) and the raw matrix', async () => {
    const { kernel, bias } = threeOrientations();
    const report = await condensation({ kernel, bias });
    const out = condensationHeatmap(report, { cellSize: 2 });
    expect(out.matrix).toBe(report.matrix);
    expect(out.order).toEqual(report.order);
    expect([...out.svg.matchAll(/<rect /g)]).toHaveLength(144);
    // In cluster order the first 6 x 6 block is one orientation: every cell there is deep red or blue.
    const colors = [
      ...out.svg.matchAll(/x="(\d+)" y="(\d+)" width="2" height="2" fill="(#[0-9a-f]{6})"/g),
    ]
      .filter((c) => Number(c[1]) < 12 && Number(c[2]) < 12)
      .map((c) => c[3]);
    expect(colors).toHaveLength(36);
    expect(
      colors.every((c) => /^#(ff0[0-9a-f]0[0-9a-f]|0[0-9a-f]0[0-9a-f]ff)$/.test(c as string)),
    ).toBe(true);
    const plain = condensationHeatmap(report, { orderByCluster: false });
    expect(plain.order).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });
});
