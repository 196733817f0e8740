import { engine, type Tensor } from '@tensorflow/tfjs-core';

interface TapeNodeLike {
  readonly inputs: Readonly<Record<string, Tensor | null | undefined>>;
  readonly outputs: readonly Tensor[];
}

/**
 * Puts the active gradient tape in data-dependency order, so that second derivatives through
 * saved outputs are not lost.
 *
 * Why: when a kernel saves its *output* for its backward pass (tanh, sigmoid, exp, softmax,
 * sqrt, the customGrad losses...), tfjs 4.22 records the saving clone (output -> copy) on the
 * tape *before* the node of the kernel that produced the output. `getFilteredNodesXToY` walks
 * the tape once in order, so when the outer gradient of a double backprop filters it, the clone
 * looks unconnected to the parameters and is dropped: the Hessian-vector product silently loses
 * every term through those saved outputs (wrong by 4% to 250% on small tanh / sigmoid / softmax
 * cross-entropy models). A stable topological sort (each node after the producers of its inputs,
 * otherwise in recorded order) restores them. Only the order of nodes changes; the auto method
 * still checks the result against finite differences.
 */
export function reorderActiveTape(): void {
  const state = (engine() as unknown as { state?: { activeTape?: TapeNodeLike[] | null } }).state;
  const tape = state?.activeTape;
  if (!Array.isArray(tape) || tape.length < 2) return;
  const producer = new Map<number, number>();
  tape.forEach((node, i) => {
    for (const t of node.outputs ?? []) if (!producer.has(t.id)) producer.set(t.id, i);
  });
  const state01 = new Uint8Array(tape.length); // 0 new, 1 on the stack, 2 emitted
  const order: TapeNodeLike[] = [];
  let moved = false;
  for (let root = 0; root < tape.length; root++) {
    if (state01[root] !== 0) continue;
    // Iterative depth-first search: a node is emitted once every producer of its inputs is.
    const stack: number[] = [root];
    state01[root] = 1;
    while (stack.length > 0) {
      const i = stack[stack.length - 1] as number;
      const node = tape[i] as TapeNodeLike;
      let pending = -1;
      for (const key in node.inputs) {
        const t = node.inputs[key];
        if (t === null || t === undefined) continue;
        const p = producer.get(t.id);
        if (p !== undefined && p !== i && state01[p] === 0) {
          pending = p;
          break;
        }
      }
      if (pending >= 0) {
        state01[pending] = 1;
        stack.push(pending);
        moved = true;
        continue;
      }
      stack.pop();
      state01[i] = 2;
      order.push(node);
    }
  }
  if (!moved) return;
  for (let k = 0; k < order.length; k++) tape[k] = order[k] as TapeNodeLike;
}
