// The @dropkit/ops suite, run here on every backend registered in test/setup.ts.
import '../../ops/test/dropBlock.test.ts';
