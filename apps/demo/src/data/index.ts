export { type DemoData, type LoadDemoDataOptions, loadDemoData } from './loadDemoData.ts';
export { MNIST_SUBSET_FILE, type MnistSubset, parseMnistSubset } from './mnistSubset.ts';
