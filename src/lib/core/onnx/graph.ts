import {
	AttributeType,
	DataType,
	type AttributeMessage,
	type DataTypeCode,
	type NodeMessage,
	type TensorMessage,
	type ValueInfoMessage
} from './types';

/** An export the graph cannot say exactly; names what and why (code `bundle` at the caller). */
export class OnnxExportError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'OnnxExportError';
	}
}

/** The operator set domain of ONNX's classical ML operators (trees, label encoding). */
export const ML_DOMAIN = 'ai.onnx.ml';

/** A dimension: a fixed size, or a name for a size known at run time (the batch: "N"). */
export type Dim = number | string;

/** An attribute's value, typed as ONNX types it (an int and a float are different attributes). */
export type Attribute = Omit<AttributeMessage, 'name'>;

export const int = (i: number): Attribute => ({ type: AttributeType.INT, i });
export const float = (f: number): Attribute => ({ type: AttributeType.FLOAT, f });
export const text = (s: string): Attribute => ({ type: AttributeType.STRING, s: utf8(s) });
export const ints = (values: ArrayLike<number>): Attribute => ({
	type: AttributeType.INTS,
	ints: Array.from(values)
});
export const floats = (values: ArrayLike<number>): Attribute => ({
	type: AttributeType.FLOATS,
	floats: Array.from(values)
});
export const texts = (values: readonly string[]): Attribute => ({
	type: AttributeType.STRINGS,
	strings: values.map(utf8)
});

function utf8(s: string): Uint8Array {
	return new TextEncoder().encode(s);
}

/** Two-class probabilities `[1 − p, p]` (float [N, 2]) from the positive class's p (float [N, 1]). */
export function twoClassProbabilities(g: GraphBuilder, p: string): string {
	return g.op('Concat', [g.op('Sub', [g.floats([1], []), p]), p], { axis: int(1) });
}

/**
 * Builds an ONNX graph node by node: unique value names, constants as initializers, and a check
 * (`assertWellFormed`) that every value a node reads was made before it. Values are named by the
 * builder (`v12_Cast`) except graph inputs and outputs, which carry the names the I/O contract
 * gives them.
 */
export class GraphBuilder {
	readonly nodes: NodeMessage[] = [];
	readonly initializers: TensorMessage[] = [];
	readonly inputs: ValueInfoMessage[] = [];
	readonly outputs: ValueInfoMessage[] = [];
	private readonly names = new Set<string>();
	private counter = 0;

	/** A graph input of an element type and shape, under exactly `name`. */
	input(name: string, elemType: DataTypeCode, dims: Dim[], docString?: string): string {
		this.claim(name);
		this.inputs.push(valueInfo(name, elemType, dims, docString));
		return name;
	}

	/** Makes `value` a graph output under exactly `name` (through an Identity node). */
	output(value: string, name: string, elemType: DataTypeCode, dims: Dim[], docString?: string) {
		this.claim(name);
		this.nodes.push(node('Identity', '', [value], [name], [], this.fresh('Identity')));
		this.outputs.push(valueInfo(name, elemType, dims, docString));
	}

	/** One node; returns the name of its (first) output. */
	op(
		opType: string,
		inputs: string[],
		attributes: Record<string, Attribute> = {},
		domain = ''
	): string {
		const out = this.fresh(opType);
		const attribute = Object.entries(attributes).map(([name, a]) => ({ name, ...a }));
		this.nodes.push(node(opType, domain, inputs, [out], attribute, `${out}_node`));
		return out;
	}

	/** A constant tensor of doubles (a scalar when `dims` is empty). */
	doubles(values: ArrayLike<number>, dims: number[] = [values.length]): string {
		const bytes = new Uint8Array(values.length * 8);
		const view = new DataView(bytes.buffer);
		for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i]!, true);
		return this.constant(DataType.DOUBLE, dims, bytes);
	}

	/** A constant tensor of float32 values (rounded as a Float32Array rounds them). */
	floats(values: ArrayLike<number>, dims: number[] = [values.length]): string {
		const bytes = new Uint8Array(values.length * 4);
		const view = new DataView(bytes.buffer);
		for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
		return this.constant(DataType.FLOAT, dims, bytes);
	}

	/** A constant tensor of int64 values. */
	int64s(values: ArrayLike<number>, dims: number[] = [values.length]): string {
		const bytes = new Uint8Array(values.length * 8);
		const view = new DataView(bytes.buffer);
		for (let i = 0; i < values.length; i++) view.setBigInt64(i * 8, BigInt(values[i]!), true);
		return this.constant(DataType.INT64, dims, bytes);
	}

	/** A constant tensor of strings. */
	strings(values: readonly string[], dims: number[] = [values.length]): string {
		const name = this.fresh('Strings');
		this.initializers.push({
			name,
			dims,
			dataType: DataType.STRING,
			stringData: values.map(utf8)
		});
		return name;
	}

	/**
	 * Throws when a node reads a value no input, constant or earlier node made, or two things make
	 * the same value: the graph would be refused by ONNX Runtime, or worse, mean something else.
	 */
	assertWellFormed(): void {
		const made = new Set<string>([
			...this.inputs.map((i) => i.name),
			...this.initializers.map((t) => t.name)
		]);
		for (const n of this.nodes) {
			for (const input of n.input)
				if (!made.has(input))
					throw new Error(`ONNX node ${n.name} (${n.opType}) reads "${input}" before it is made.`);
			for (const output of n.output) {
				if (made.has(output)) throw new Error(`ONNX value "${output}" is made twice.`);
				made.add(output);
			}
		}
		for (const o of this.outputs)
			if (!made.has(o.name)) throw new Error(`ONNX output "${o.name}" is never made.`);
	}

	private constant(dataType: DataTypeCode, dims: number[], rawData: Uint8Array): string {
		const name = this.fresh('Const');
		this.initializers.push({ name, dims, dataType, rawData });
		return name;
	}

	private fresh(base: string): string {
		let name: string;
		do name = `v${++this.counter}_${base}`;
		while (this.names.has(name));
		this.names.add(name);
		return name;
	}

	private claim(name: string): void {
		if (this.names.has(name)) throw new Error(`Two ONNX values are named "${name}".`);
		this.names.add(name);
	}
}

function node(
	opType: string,
	domain: string,
	input: string[],
	output: string[],
	attribute: AttributeMessage[],
	name: string
): NodeMessage {
	return { name, opType, domain, input, output, attribute };
}

function valueInfo(
	name: string,
	elemType: DataTypeCode,
	dims: Dim[],
	docString?: string
): ValueInfoMessage {
	return {
		name,
		...(docString ? { docString } : {}),
		type: {
			tensorType: {
				elemType,
				shape: {
					dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }))
				}
			}
		}
	};
}
