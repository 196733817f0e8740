import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { InvalidArgumentError } from '@dropkit/core';
import { io } from '@tensorflow/tfjs-core';

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';
const SCHEME = 'file://';

/**
 * A tfjs IO handler that saves a model to a directory and loads it back with `node:fs`, in the
 * layout of tfjs-node's `file://` handler: `model.json` (topology, weights manifest and the
 * rest of the artifacts) next to one `weights.bin`. tfjs-node cannot be installed everywhere
 * (it downloads libtensorflow), and tfjs-core ships no file system handler; this one has no
 * dependency beyond Node. Saving creates the directory; loading takes the directory or the path
 * of its `model.json` and reads every weights file the manifest lists.
 *
 * @param path - the directory to save into, or the directory or `model.json` to load from; a
 *   `file://` prefix is accepted.
 * @returns the handler, for `model.save` and `tf.loadLayersModel`.
 * @throws InvalidArgumentError for an empty path.
 * @example
 * ```ts
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import * as tf from '@tensorflow/tfjs-core';
 * import * as tfl from '@tensorflow/tfjs-layers';
 * import { dropout } from '@dropkit/layers';
 * import { fileSystemIO } from '@dropkit/layers/node';
 * const dir = join(mkdtempSync(join(tmpdir(), 'dropkit-')), 'model');
 * const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [3] }), dropout({ rate: 0.1 })] });
 * await model.save(fileSystemIO(dir));
 * const loaded = await tfl.loadLayersModel(fileSystemIO(dir));
 * const x = tf.ones([1, 3]);
 * console.log(tf.all(tf.equal(model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor)).dataSync()[0]); // 1
 * ```
 */
export function fileSystemIO(path: string): io.IOHandler {
  if (typeof path !== 'string' || path.length === 0 || path === SCHEME) {
    throw new InvalidArgumentError('path', path, 'a non-empty file system path');
  }
  const target = resolve(path.startsWith(SCHEME) ? path.slice(SCHEME.length) : path);
  return {
    save: (artifacts) => saveArtifacts(target, artifacts),
    load: () => loadArtifacts(target),
  };
}

async function saveArtifacts(dir: string, artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
  if (artifacts.modelTopology instanceof ArrayBuffer) {
    throw new InvalidArgumentError(
      'artifacts.modelTopology',
      'a binary (GraphDef) topology',
      'a JSON model topology (layers models)',
    );
  }
  await mkdir(dir, { recursive: true });
  const weights = io.CompositeArrayBuffer.join(artifacts.weightData ?? []);
  const manifest: io.WeightsManifestConfig = [
    { paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] },
  ];
  const { weightSpecs: _specs, weightData: _data, getWeightStream: _stream, ...rest } = artifacts;
  const modelJSON: io.ModelJSON = {
    ...rest,
    modelTopology: artifacts.modelTopology ?? {},
    weightsManifest: manifest,
  };
  await writeFile(join(dir, WEIGHTS_BIN), new Uint8Array(weights));
  await writeFile(join(dir, MODEL_JSON), JSON.stringify(modelJSON));
  return { modelArtifactsInfo: io.getModelArtifactsInfoForJSON(artifacts) };
}

async function loadArtifacts(target: string): Promise<io.ModelArtifacts> {
  const isDir = await stat(target).then(
    (s) => s.isDirectory(),
    () => false,
  );
  const jsonPath = isDir ? join(target, MODEL_JSON) : target;
  let text: string;
  try {
    text = await readFile(jsonPath, 'utf8');
  } catch (cause) {
    throw new InvalidArgumentError(
      'path',
      target,
      `a saved model directory or model.json path (${(cause as Error).message})`,
    );
  }
  const modelJSON = JSON.parse(text) as io.ModelJSON;
  const base = dirname(jsonPath);
  return io.getModelArtifactsForJSON(modelJSON, async (manifest) => {
    const buffers: ArrayBuffer[] = [];
    for (const group of manifest) {
      for (const p of group.paths) {
        const bytes = await readFile(join(base, p));
        buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      }
    }
    return [io.getWeightSpecs(manifest), io.CompositeArrayBuffer.join(buffers)];
  });
}

let routerRegistered = false;

/**
 * Lets `model.save('file://dir')` and `tf.loadLayersModel('file://dir/model.json')` use
 * {@link fileSystemIO}, unless a `file://` handler is already registered (tfjs-node's), in which
 * case it leaves that one alone. Calling it again does nothing.
 *
 * @returns true if this call registered the routers.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { registerFileSystemRouter } from '@dropkit/layers/node';
 * registerFileSystemRouter();
 * console.log(tf.io.getSaveHandlers('file:///tmp/some-model').length); // 1
 * ```
 */
export function registerFileSystemRouter(): boolean {
  if (routerRegistered) return false;
  routerRegistered = true;
  const probe = `${SCHEME}${resolve('dropkit-probe')}`;
  if (io.getSaveHandlers(probe).length > 0 || io.getLoadHandlers(probe).length > 0) return false;
  // tfjs types a router as returning a handler, but asks every router and keeps the non-null ones.
  const route = ((url: string | string[]) =>
    typeof url === 'string' && url.startsWith(SCHEME)
      ? fileSystemIO(url)
      : null) as unknown as Parameters<typeof io.registerSaveRouter>[0];
  io.registerSaveRouter(route);
  io.registerLoadRouter(route);
  return true;
}
