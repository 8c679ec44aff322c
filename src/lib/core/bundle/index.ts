export * from './manifest';
export {
	packBundle,
	bundleFileName,
	modelJsonFrom,
	type BundleParts,
	type LayersModelJson
} from './pack';
export { unpackBundle, BundleError, MAX_BUNDLE_BYTES, type UnpackedBundle } from './unpack';
export { describeModel, type ManifestInput } from './describe';
export { renderModelCard, type CardNotes } from './card';
export { enforceSchema, type CellProblem } from './enforce';
export { predictTable, loadLayersModel, type LoadedModel, type Predictions } from './predict';
export { predictionsCsv } from './csv-out';
