export {
  type Batch,
  BatchIterator,
  type BatchOptions,
  type BatchPosition,
} from './BatchIterator.js';
export { Dataset, type DatasetInit, type DatasetSplits, type SplitOptions } from './Dataset.js';
export { DataFormatError, type DataLocation, MissingDependencyError } from './errors.js';
export type { FeatureArray, FeatureTransform } from './gather.js';
export { loadIris } from './loadIris.js';
export { type LoadMnistOptions, loadMnist } from './loadMnist.js';
export {
  fitNormalization,
  Normalization,
  type NormalizationJSON,
  type NormalizationMethod,
  type NormalizationOptions,
  normalize,
} from './normalize.js';
export type { ByteSource } from './readBytes.js';
export {
  type Cifar100Options,
  type CifarOptions,
  readCifar10,
  readCifar100,
} from './readCifar.js';
export { type CsvOptions, parseCsv, readCsv } from './readCsv.js';
export {
  type IdxArray,
  type IdxData,
  type IdxDatasetOptions,
  type IdxType,
  parseIdx,
  type ReadIdxOptions,
  readIdx,
  readIdxDataset,
} from './readIdx.js';
export { assertSeed, permutation, SeededRandom } from './SeededRandom.js';
export {
  type Condensation1dOptions,
  type Condensation1dSets,
  condensation1d,
  type Target1dName,
} from './synthetic/condensation1d.js';
export {
  type GaussianBlobsOptions,
  gaussianBlobCenters,
  gaussianBlobs,
} from './synthetic/gaussianBlobs.js';
export {
  type TeacherActivation,
  type TeacherNetwork,
  type TeacherOptions,
  type TeacherStudentOptions,
  teacherNetwork,
  teacherStudent,
} from './synthetic/teacherStudent.js';
export { type TwoSpiralsOptions, twoSpirals } from './synthetic/twoSpirals.js';
