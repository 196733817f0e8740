// Entry of the self-contained bundle (dist/dropkit-bench.mjs). Bundled, tfjs-core's ES build can
// register the gradients of its own kernels, which plain Node cannot load from its dist/ (its
// imports have no file extensions); with them, `ops` also times tf.dropout's backward pass.
import './bundleEnv.js';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import './cli.js';
