import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients for its own ops; tests take gradients through them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterAll, beforeAll, describe, it } from 'vitest';

/** How to make a backend ready in this process; returns false when it cannot run here. */
export type BackendSetup = () => Promise<boolean> | boolean;

const setups = new Map<string, BackendSetup>();

/**
 * Adds a backend to the set `describeWithBackends` runs suites on (the backend packages register
 * theirs from their own test setup). The cpu backend is always there.
 */
export function registerTestBackend(name: string, setup: BackendSetup): void {
  setups.set(name, setup);
}

registerTestBackend('cpu', async () => {
  await import('@tensorflow/tfjs-backend-cpu');
  return tf.findBackendFactory('cpu') !== null;
});

/**
 * Backends to run, from `DROPKIT_TEST_BACKENDS` (comma separated) or every registered one.
 */
export function testBackendNames(): string[] {
  const wanted = process.env.DROPKIT_TEST_BACKENDS?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const all = [...setups.keys()];
  return wanted ? all.filter((b) => wanted.includes(b)) : all;
}

/** A skip list: backend name -> test name -> the reason it is skipped there. */
export type SkipList = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** What a suite body receives: its backend, and an `it` that honours the skip list. */
export interface BackendSuite {
  readonly backend: string;
  readonly it: (name: string, body: () => unknown, timeout?: number) => void;
}

/** Options of {@link describeWithBackends}. */
export interface DescribeWithBackendsOptions {
  /** Tests to skip per backend, each with its reason. Entries that match no test fail the suite. */
  readonly skip?: SkipList;
  /** Restrict the suite to these backends (default: all registered). */
  readonly backends?: readonly string[];
}

/**
 * Runs a suite once per tfjs backend available in this process, with per-backend skip lists
 * (the tfjs `describeWithFlags` pattern). Each copy switches to its backend before its tests.
 */
export function describeWithBackends(
  name: string,
  body: (suite: BackendSuite) => void,
  options: DescribeWithBackendsOptions = {},
): void {
  const names = testBackendNames().filter((b) => !options.backends || options.backends.includes(b));
  for (const backend of names) {
    describe(`${name} [${backend}]`, () => {
      const skips = options.skip?.[backend] ?? {};
      const used = new Set<string>();
      beforeAll(async () => {
        const setup = setups.get(backend);
        if (!setup || !(await setup())) {
          throw new Error(`Backend "${backend}" cannot be set up in this process.`);
        }
        if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend("${backend}") failed.`);
        await tf.ready();
      });
      afterAll(() => {
        const stale = Object.keys(skips).filter((t) => !used.has(t));
        if (stale.length > 0) {
          throw new Error(
            `Skip list for ${backend} names tests that do not exist: ${stale.join(', ')}`,
          );
        }
      });
      const suiteIt: BackendSuite['it'] = (testName, fn, timeout) => {
        const reason = skips[testName];
        if (reason !== undefined) {
          used.add(testName);
          it.skip(`${testName} (skipped on ${backend}: ${reason})`, fn);
        } else {
          it(testName, fn, timeout);
        }
      };
      body({ backend, it: suiteIt });
    });
  }
}
