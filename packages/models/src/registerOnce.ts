// Registration bookkeeping shared by the custom layers and registerModels; not exported.
import { serialization } from '@tensorflow/tfjs-core';

const registered = new Set<unknown>();

/** Registers a serializable class with tfjs the first time it is seen; later calls are free. */
export function registerOnce(
  cls: serialization.SerializableConstructor<serialization.Serializable>,
) {
  if (registered.has(cls)) return;
  registered.add(cls);
  serialization.registerClass(cls);
}
