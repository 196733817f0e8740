import type { RunRecord } from './records.ts';

/**
 * A run's records as JSON Lines: one object a line (step, evaluation and diagnostics records,
 * each with `type` and `step`), in the order they arrived, ending with a newline.
 *
 * @param records - the run's records.
 * @returns the file's text.
 * @example
 * ```ts
 * import { toJsonl } from '@dropkit/demo/training';
 * console.log(JSON.stringify(toJsonl([{ type: 'eval', step: 0, trainLoss: 2.3, trainAccuracy: 0.1, testLoss: 2.3, testAccuracy: 0.1, trainExamples: 1000, testExamples: 1000 }]))); // "{\"type\":\"eval\",\"step\":0,\"trainLoss\":2.3,\"trainAccuracy\":0.1,\"testLoss\":2.3,\"testAccuracy\":0.1,\"trainExamples\":1000,\"testExamples\":1000}\n"
 * ```
 */
export function toJsonl(records: readonly RunRecord[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join('');
}
