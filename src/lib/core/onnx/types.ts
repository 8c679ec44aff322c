/** The ONNX messages and codes an exported model uses, as plain data (encoded by proto.ts). */

/** ONNX tensor element types (`TensorProto.DataType`) that Driftwood writes. */
export const DataType = { FLOAT: 1, INT64: 7, STRING: 8, BOOL: 9, DOUBLE: 11 } as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

/** ONNX attribute types (`AttributeProto.AttributeType`). */
export const AttributeType = {
	FLOAT: 1,
	INT: 2,
	STRING: 3,
	TENSOR: 4,
	FLOATS: 6,
	INTS: 7,
	STRINGS: 8
} as const;

export interface TensorMessage {
	name: string;
	dims: number[];
	dataType: DataTypeCode;
	rawData?: Uint8Array;
	stringData?: Uint8Array[];
}

export interface AttributeMessage {
	name: string;
	type: (typeof AttributeType)[keyof typeof AttributeType];
	f?: number;
	i?: number;
	s?: Uint8Array;
	t?: TensorMessage;
	floats?: number[];
	ints?: number[];
	strings?: Uint8Array[];
}

export interface NodeMessage {
	name: string;
	opType: string;
	domain: string;
	input: string[];
	output: string[];
	attribute: AttributeMessage[];
}

export interface ValueInfoMessage {
	name: string;
	docString?: string;
	type: {
		tensorType: {
			elemType: DataTypeCode;
			shape: { dim: ({ dimValue: number } | { dimParam: string })[] };
		};
	};
}

export interface ModelMessage {
	irVersion: number;
	producerName: string;
	producerVersion: string;
	modelVersion: number;
	docString: string;
	opsetImport: { domain: string; version: number }[];
	metadataProps: { key: string; value: string }[];
	graph: {
		name: string;
		docString?: string;
		node: NodeMessage[];
		initializer: TensorMessage[];
		input: ValueInfoMessage[];
		output: ValueInfoMessage[];
	};
}
