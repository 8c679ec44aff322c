import protobuf from 'protobufjs/light.js';
import type { ModelMessage } from './types';

/**
 * The part of ONNX's `onnx.proto` (IR version 8, proto2) that an exported Driftwood model uses,
 * as a protobufjs JSON descriptor: message and field names in protobufjs' camelCase, field numbers
 * and types as the ONNX specification fixes them. protobufjs does the encoding; every message is
 * checked with `verify()` before it is encoded.
 */
const DESCRIPTOR = {
	nested: {
		onnx: {
			nested: {
				AttributeType: {
					values: {
						UNDEFINED: 0,
						FLOAT: 1,
						INT: 2,
						STRING: 3,
						TENSOR: 4,
						GRAPH: 5,
						FLOATS: 6,
						INTS: 7,
						STRINGS: 8
					}
				},
				AttributeProto: {
					fields: {
						name: { type: 'string', id: 1 },
						f: { type: 'float', id: 2 },
						i: { type: 'int64', id: 3 },
						s: { type: 'bytes', id: 4 },
						t: { type: 'TensorProto', id: 5 },
						floats: { rule: 'repeated', type: 'float', id: 7 },
						ints: { rule: 'repeated', type: 'int64', id: 8 },
						strings: { rule: 'repeated', type: 'bytes', id: 9 },
						docString: { type: 'string', id: 13 },
						type: { type: 'AttributeType', id: 20 }
					}
				},
				NodeProto: {
					fields: {
						input: { rule: 'repeated', type: 'string', id: 1 },
						output: { rule: 'repeated', type: 'string', id: 2 },
						name: { type: 'string', id: 3 },
						opType: { type: 'string', id: 4 },
						attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
						docString: { type: 'string', id: 6 },
						domain: { type: 'string', id: 7 }
					}
				},
				TensorProto: {
					fields: {
						dims: { rule: 'repeated', type: 'int64', id: 1 },
						dataType: { type: 'int32', id: 2 },
						stringData: { rule: 'repeated', type: 'bytes', id: 6 },
						name: { type: 'string', id: 8 },
						rawData: { type: 'bytes', id: 9 },
						docString: { type: 'string', id: 12 }
					}
				},
				Dimension: {
					oneofs: { value: { oneof: ['dimValue', 'dimParam'] } },
					fields: {
						dimValue: { type: 'int64', id: 1 },
						dimParam: { type: 'string', id: 2 }
					}
				},
				TensorShapeProto: {
					fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } }
				},
				TensorTypeProto: {
					fields: {
						elemType: { type: 'int32', id: 1 },
						shape: { type: 'TensorShapeProto', id: 2 }
					}
				},
				TypeProto: {
					fields: { tensorType: { type: 'TensorTypeProto', id: 1 } }
				},
				ValueInfoProto: {
					fields: {
						name: { type: 'string', id: 1 },
						type: { type: 'TypeProto', id: 2 },
						docString: { type: 'string', id: 3 }
					}
				},
				GraphProto: {
					fields: {
						node: { rule: 'repeated', type: 'NodeProto', id: 1 },
						name: { type: 'string', id: 2 },
						initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
						docString: { type: 'string', id: 10 },
						input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
						output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 }
					}
				},
				OperatorSetIdProto: {
					fields: {
						domain: { type: 'string', id: 1 },
						version: { type: 'int64', id: 2 }
					}
				},
				StringStringEntryProto: {
					fields: {
						key: { type: 'string', id: 1 },
						value: { type: 'string', id: 2 }
					}
				},
				ModelProto: {
					fields: {
						irVersion: { type: 'int64', id: 1 },
						producerName: { type: 'string', id: 2 },
						producerVersion: { type: 'string', id: 3 },
						domain: { type: 'string', id: 4 },
						modelVersion: { type: 'int64', id: 5 },
						docString: { type: 'string', id: 6 },
						graph: { type: 'GraphProto', id: 7 },
						opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
						metadataProps: { rule: 'repeated', type: 'StringStringEntryProto', id: 14 }
					}
				}
			}
		}
	}
};

const root = protobuf.Root.fromJSON(DESCRIPTOR);
const ModelProto = root.lookupType('onnx.ModelProto');

/** The ONNX file of a model message; refuses (naming the field) what the schema does not allow. */
export function encodeModel(model: ModelMessage): Uint8Array {
	const problem = ModelProto.verify(model);
	if (problem) throw new Error(`The ONNX model is malformed: ${problem}.`);
	return ModelProto.encode(ModelProto.fromObject(model)).finish();
}

/** A decoded ONNX file as plain objects (int64 as numbers, bytes as arrays): for tests and checks. */
export function decodeModel(bytes: Uint8Array): ModelMessage {
	return ModelProto.toObject(ModelProto.decode(bytes), {
		longs: Number,
		defaults: false,
		arrays: true
	}) as ModelMessage;
}
