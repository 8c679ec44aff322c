import type { FamilyEntry, SavedModel } from '../family';
import type { Task } from '../task';
import { GraphBuilder, int, ints } from '../../onnx/graph';
import { DataType } from '../../onnx/types';
import type { FillPlan } from './fill';
import { readEnsemble } from './files';

/**
 * An ensemble as ONNX operators: each member's own graph on the feature matrix (the filled one for
 * members that do not read missing values), weighted and summed in the one graph — the same
 * average of probabilities (or scaled values) the studio computes.
 */
export function ensembleOnnx(
	saved: SavedModel,
	g: GraphBuilder,
	x: string,
	task: Task,
	entryOf: (family: string) => FamilyEntry
): string {
	const { json, members } = readEnsemble(saved, entryOf);
	let filled: string | null = null;
	const weighted = members.map((member, i) => {
		const entry = entryOf(member.family);
		const input = entry.readsMissing ? x : (filled ??= filledGraph(g, x, json.fill, json.inputs));
		const out = entry.onnx(member, g, input, task);
		return g.op('Mul', [out, g.floats([json.members[i]!.weight], [])]);
	});
	return g.op('Sum', weighted);
}

/**
 * `fillMissing` as operators: a NaN becomes its feature's fill, and a one-hot block with no 1
 * gets a 1 in its fill column.
 */
function filledGraph(g: GraphBuilder, x: string, plan: FillPlan, inputs: number): string {
	let out = g.op('Where', [g.op('IsNaN', [x]), g.floats(plan.values, [1, inputs]), x]);
	for (const block of plan.blocks) {
		const slice = g.op('Slice', [
			x,
			g.int64s([block.start]),
			g.int64s([block.start + block.width]),
			g.int64s([1])
		]);
		const empty = g.op('Equal', [
			g.op('ReduceMax', [slice], { axes: ints([1]), keepdims: int(1) }),
			g.floats([0], [])
		]);
		const one = new Float32Array(inputs);
		one[block.start + block.fill] = 1;
		const add = g.op('Mul', [
			g.op('Cast', [empty], { to: int(DataType.FLOAT) }),
			g.floats(one, [1, inputs])
		]);
		out = g.op('Add', [out, add]);
	}
	return out;
}
