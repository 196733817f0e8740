import { assertInteger, assertOneOf, InvalidArgumentError } from '@dropkit/core';
import { Dataset } from '../Dataset.js';
import { assertSeed, SeededRandom, STREAM_TAGS, streamOf } from '../SeededRandom.js';
import { assertNonNegative } from './checks.js';

/** The hidden-layer activations a teacher can use. */
export type TeacherActivation = 'relu' | 'tanh' | 'linear';

/** Options of {@link teacherNetwork}. */
export interface TeacherOptions {
  /** Input dimension, an integer >= 1. */
  readonly inputDim: number;
  /** Hidden widths: one number for one hidden layer, or one per layer. */
  readonly teacherHidden: number | readonly number[];
  /** Output dimension, an integer >= 1. Default 1. */
  readonly outputDim?: number;
  /** Hidden activation. Default `'relu'`. */
  readonly activation?: TeacherActivation;
  /** The teacher's seed, an integer in [0, 2^53). Default 0. */
  readonly teacherSeed?: number;
}

/** A fixed random MLP: `h_{l+1} = act(h_l W_l)` for hidden layers, linear output, no biases. */
export interface TeacherNetwork {
  /** `[inputDim, ...hidden, outputDim]`. */
  readonly layerSizes: readonly number[];
  /** `W_l`, row-major `[layerSizes[l], layerSizes[l + 1]]`, entries N(0, 1 / layerSizes[l]). */
  readonly weights: readonly Float64Array[];
  /** The hidden activation. */
  readonly activation: TeacherActivation;
}

/**
 * The teacher {@link teacherStudent} uses: weights drawn layer after layer, row-major, from the
 * parameters stream of `teacherSeed`, each N(0, 1/fanIn) (LeCun normal, so hidden
 * pre-activations stay of order 1 for N(0, I) inputs); no biases.
 *
 * @param options - {@link TeacherOptions}.
 * @returns the {@link TeacherNetwork}.
 * @throws InvalidArgumentError for bad sizes, activation or seed.
 * @example
 * ```ts
 * import { teacherNetwork } from '@dropkit/datasets';
 * const t = teacherNetwork({ inputDim: 10, teacherHidden: [32, 16], teacherSeed: 1 });
 * console.log(t.layerSizes, t.weights.map((w) => w.length)); // [ 10, 32, 16, 1 ] [ 320, 512, 16 ]
 * ```
 */
export function teacherNetwork(options: TeacherOptions): TeacherNetwork {
  const inputDim = assertInteger('inputDim', options.inputDim, { min: 1 });
  const hiddenSpec = options.teacherHidden;
  const hidden =
    typeof hiddenSpec === 'number'
      ? [assertInteger('teacherHidden', hiddenSpec, { min: 1 })]
      : Array.isArray(hiddenSpec)
        ? hiddenSpec.map((h, i) => assertInteger(`teacherHidden[${i}]`, h, { min: 1 }))
        : (() => {
            throw new InvalidArgumentError(
              'teacherHidden',
              hiddenSpec,
              'an integer >= 1 or an array of them',
            );
          })();
  const outputDim = assertInteger('outputDim', options.outputDim ?? 1, { min: 1 });
  const activation = assertOneOf('activation', options.activation ?? 'relu', [
    'relu',
    'tanh',
    'linear',
  ] as const);
  const rng = new SeededRandom(
    assertSeed('teacherSeed', options.teacherSeed ?? 0),
    streamOf(STREAM_TAGS.parameters),
  );
  const layerSizes = [inputDim, ...hidden, outputDim];
  const weights = layerSizes.slice(0, -1).map((fanIn, l) => {
    const fanOut = layerSizes[l + 1] as number;
    const w = new Float64Array(fanIn * fanOut);
    const sd = 1 / Math.sqrt(fanIn);
    for (let i = 0; i < w.length; i++) w[i] = sd * rng.nextNormal();
    return w;
  });
  return { layerSizes, weights, activation };
}

/** Options of {@link teacherStudent}. */
export interface TeacherStudentOptions extends Omit<TeacherOptions, 'teacherSeed'> {
  /** The number of examples, an integer >= 1. */
  readonly n: number;
  /** The standard deviation of Gaussian noise added to each target. Default 0. */
  readonly noise?: number;
  /** Seed of the inputs and the noise, an integer in [0, 2^53). Default 0. */
  readonly seed?: number;
  /**
   * Seed of the teacher's weights. Default `seed`. Give a training set and a test set the same
   * `teacherSeed` and different `seed`s: same function, different inputs.
   */
  readonly teacherSeed?: number;
}

/**
 * A teacher-student regression set: inputs `x ~ N(0, I_inputDim)` (the inputs stream of `seed`),
 * targets `y = teacher(x) + noise * N(0, I)` (the noise stream of `seed`), where the teacher is the
 * fixed random MLP of {@link teacherNetwork}.
 *
 * @param options - {@link TeacherStudentOptions}.
 * @returns a regression dataset, `featureShape` `[inputDim]`, `labelShape` `[outputDim]`.
 * @throws InvalidArgumentError for bad sizes, noise or seeds.
 * @example
 * ```ts
 * import { teacherStudent } from '@dropkit/datasets';
 * const train = teacherStudent({ n: 1000, inputDim: 8, teacherHidden: 16, noise: 0.1, seed: 1, teacherSeed: 7 });
 * const test = teacherStudent({ n: 200, inputDim: 8, teacherHidden: 16, seed: 2, teacherSeed: 7 });
 * console.log(train.task, train.featureShape, test.labelShape); // regression [ 8 ] [ 1 ]
 * ```
 */
export function teacherStudent(options: TeacherStudentOptions): Dataset {
  const n = assertInteger('n', options.n, { min: 1 });
  const noise = assertNonNegative('noise', options.noise ?? 0);
  const seed = assertSeed('seed', options.seed ?? 0);
  const teacher = teacherNetwork({ ...options, teacherSeed: options.teacherSeed ?? seed });
  const sizes = teacher.layerSizes;
  const inputDim = sizes[0] as number;
  const outputDim = sizes[sizes.length - 1] as number;
  const act = ACTIVATIONS[teacher.activation];
  const inputs = new SeededRandom(seed, streamOf(STREAM_TAGS.inputs));
  const noiseRng = new SeededRandom(seed, streamOf(STREAM_TAGS.noise));
  const features = new Float32Array(n * inputDim);
  const labels = new Float32Array(n * outputDim);
  for (let i = 0; i < n; i++) {
    let h: Float64Array = new Float64Array(inputDim);
    for (let j = 0; j < inputDim; j++) {
      // The teacher sees the float32 input the student will see.
      h[j] = Math.fround(inputs.nextNormal());
      features[i * inputDim + j] = h[j] as number;
    }
    for (let l = 0; l < teacher.weights.length; l++) {
      const w = teacher.weights[l] as Float64Array;
      const fanIn = sizes[l] as number;
      const fanOut = sizes[l + 1] as number;
      const out = new Float64Array(fanOut);
      for (let a = 0; a < fanIn; a++) {
        const v = h[a] as number;
        if (v === 0) continue;
        for (let b = 0; b < fanOut; b++)
          out[b] = (out[b] as number) + v * (w[a * fanOut + b] as number);
      }
      if (l < teacher.weights.length - 1)
        for (let b = 0; b < fanOut; b++) out[b] = act(out[b] as number);
      h = out;
    }
    for (let o = 0; o < outputDim; o++) {
      labels[i * outputDim + o] = (h[o] as number) + noise * noiseRng.nextNormal();
    }
  }
  return new Dataset({
    features,
    featureShape: [inputDim],
    labels,
    labelShape: [outputDim],
    name: 'teacherStudent',
  });
}

const ACTIVATIONS: Readonly<Record<TeacherActivation, (x: number) => number>> = {
  relu: (x) => Math.max(x, 0),
  tanh: Math.tanh,
  linear: (x) => x,
};
