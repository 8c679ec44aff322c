export * from './types';
export { sniffDialect, DELIMITERS, SNIFF_BYTES } from './dialect';
export { FALLBACK_ENCODINGS } from './decode';
export {
	readTable,
	chunksOf,
	chunksOfStream,
	formatMB,
	cancelled,
	type ReadProgress
} from './read';
export { convertColumn, conversionProblem, type Conversion } from './convert';
export { inferColumnType } from './infer';
export { parseDateTime, formatDateTime } from './datetime';
export { columnValueText, tableBuffers } from './access';
