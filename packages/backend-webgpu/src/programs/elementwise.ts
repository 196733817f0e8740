/**
 * Shared pieces of the elementwise programs (dropout, alpha dropout, Gaussian dropout,
 * standout): every invocation owns whole Threefry blocks, so one block's four words serve four
 * elements and no word is computed twice.
 */

/** Invocations per workgroup of the elementwise programs: a multiple of every GPU's SIMD width. */
export const ELEMENTWISE_WORKGROUP = 256;

/**
 * Vec4 groups per invocation on the vec4 path. Two independent Threefry chains per invocation
 * give the scheduler instructions to overlap with each other and with the loads, which are all
 * issued before the first round.
 */
export const GROUPS_PER_INVOCATION = 2;

/**
 * A WGSL statement that loads the 4 scalars of `input` from element `first` on into a
 * `vec4<f32>` named `name`, each index clamped to the last element (`uniforms.n - 1u`) so the tail block of
 * a size that is not a multiple of 4 reads in bounds; the matching stores are guarded instead.
 */
export function loadScalars(name: string, input: string, first: string): string {
  const at = (k: number) => `${input}[min(${first} + ${k}u, uniforms.n - 1u)]`;
  return `let ${name} = vec4<f32>(${at(0)}, ${at(1)}, ${at(2)}, ${at(3)});`;
}

/** WGSL statements that store the components of `value` at `first`..`first + 3`, in bounds only. */
export function storeScalars(value: string, first: string): string {
  return [0, 1, 2, 3]
    .map(
      (k) =>
        `if (${first} + ${k}u < uniforms.n) { result[${first} + ${k}u] = ${value}.${'xyzw'[k]}; }`,
    )
    .join('\n      ');
}

/**
 * The `main` of a same-shape elementwise program on the vec4 path: invocation `lid` of
 * workgroup `wg` owns vec4 groups `wg * WG * K + lid + k * WG` (consecutive invocations touch
 * consecutive groups, so every load and store instruction is coalesced); it loads all its
 * groups, then generates the words of the Threefry blocks `blocks(g)` names, then applies
 * `combine(values, words)` and stores. `inputs` are the vec4 arrays read per group.
 */
export function vec4Main(options: {
  readonly inputs: readonly string[];
  readonly blocks: (g: string) => readonly string[];
  readonly combine: (values: readonly string[], words: readonly string[]) => string;
}): string {
  const wg = ELEMENTWISE_WORKGROUP;
  const k = GROUPS_PER_INVOCATION;
  const lines: string[] = [
    `let lid = u32(index) % ${wg}u;`,
    `let base = (u32(index) / ${wg}u) * ${wg * k}u + lid;`,
    'let lastGroup = uniforms.n / 4u - 1u;',
  ];
  for (let j = 0; j < k; j++) lines.push(`let g${j} = base + ${j * wg}u;`);
  for (let j = 0; j < k; j++) {
    for (const input of options.inputs) {
      lines.push(`let ${input}${j} = ${input}[min(g${j}, lastGroup)];`);
    }
  }
  for (let j = 0; j < k; j++) {
    options.blocks(`g${j}`).forEach((b, i) => {
      lines.push(
        `let w${j}_${i} = threefry4x32(vec4<u32>(${b}, 0u, 0u, 0u), uniforms.key, uniforms.k4);`,
      );
    });
  }
  for (let j = 0; j < k; j++) {
    const values = options.inputs.map((input) => `${input}${j}`);
    const words = options.blocks(`g${j}`).map((_, i) => `w${j}_${i}`);
    lines.push(`if (g${j} <= lastGroup) { result[g${j}] = ${options.combine(values, words)}; }`);
  }
  return lines.join('\n      ');
}

/** Invocations of a same-shape vec4 program over n elements (n a multiple of 4). */
export function vec4Invocations(n: number): number {
  return Math.ceil(n / 4 / GROUPS_PER_INVOCATION);
}
