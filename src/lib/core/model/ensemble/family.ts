import type { FamilyImplementation, FitData, SavedModel, TrainedModel } from '../family';
import type { Task } from '../task';
import type { Registry } from './registry';
import { fillMissing, type FillPlan } from './fill';
import { ENSEMBLE_FORMAT, ENSEMBLE_VERSION, ensembleSaved, readEnsemble } from './files';

/** A member as the ensemble holds it: its model, weight, and whether it reads missing values. */
interface Member {
	model: TrainedModel;
	weight: number;
	readsMissing: boolean;
}

function trained(members: Member[], fill: FillPlan, inputs: number, task: Task): TrainedModel {
	const outputs = members[0]!.model.outputs;
	const fills = members.some((m) => !m.readsMissing);
	/** The weighted sum of the members' predictions, each from `predicted(member, its matrix)`. */
	const blend = async (
		x: Float32Array,
		predicted: (m: Member, x: Float32Array) => Promise<Float64Array>
	) => {
		const filled = fills ? fillMissing(x, inputs, fill) : x;
		const out = new Float64Array((x.length / inputs) * outputs);
		for (const m of members) {
			const p = await predicted(m, m.readsMissing ? x : filled);
			for (let i = 0; i < out.length; i++) out[i]! += m.weight * p[i]!;
		}
		return out;
	};
	// predictChanged's base as the members read it (filled once, kept while the base is the same).
	let base: { x: Float32Array; filled: Float32Array } | null = null;
	return {
		family: 'ensemble',
		outputs,
		predict: (x) => blend(x, (m, mx) => m.model.predict(mx)),
		// A fill changes a column's cells only: the filled matrices differ in the same columns.
		...(members.some((m) => m.model.predictChanged)
			? {
					predictChanged(from: Float32Array, x: Float32Array, changed: readonly number[]) {
						if (base?.x !== from)
							base = { x: from, filled: fills ? fillMissing(from, inputs, fill) : from };
						const { filled } = base;
						return blend(x, (m, mx) =>
							m.model.predictChanged
								? m.model.predictChanged(m.readsMissing ? from : filled, mx, changed)
								: m.model.predict(mx)
						);
					}
				}
			: {}),
		async save(): Promise<SavedModel> {
			const saved = await Promise.all(members.map((m) => m.model.save()));
			return ensembleSaved(
				{
					format: ENSEMBLE_FORMAT,
					version: ENSEMBLE_VERSION,
					task,
					inputs,
					fill,
					members: members.map((m, i) => ({ family: saved[i]!.family, weight: m.weight }))
				},
				saved
			);
		},
		dispose() {
			for (const m of members) m.model.dispose();
		}
	};
}

/**
 * Ensembles: each member trained by its own family on the same rows (those that do not read
 * missing values on the matrix filled by the recipe's fills), predictions averaged by weight.
 */
export function ensembleFamily({
	entryOf: familyEntry,
	fit: fitModel,
	load: loadModel
}: Registry): FamilyImplementation {
	return {
		async fit(data: FitData, spec, task, hooks) {
			if (spec.kind !== 'ensemble')
				throw new Error(`A ${spec.kind} spec reached the ensemble family.`);
			const fill = data.fill;
			if (!fill) throw new Error('An ensemble trains on a matrix that comes with its fill plan.');
			let filled: FitData | null = null;
			const members: Member[] = [];
			try {
				for (const member of spec.members) {
					const readsMissing = familyEntry(member.spec.kind).readsMissing;
					const memberData = readsMissing
						? data
						: (filled ??= {
								...data,
								x: fillMissing(data.x, data.inputs, fill),
								xVal: fillMissing(data.xVal, data.inputs, fill)
							});
					const { model } = await fitModel(memberData, member.spec, task, {
						isCancelled: hooks.isCancelled,
						yieldToEvents: hooks.yieldToEvents
					});
					members.push({ model, weight: member.weight, readsMissing });
				}
			} catch (error) {
				for (const m of members) m.model.dispose();
				throw error;
			}
			// No curve: each member trained the fixed steps its folds chose, without early stopping.
			return {
				model: trained(members, fill, data.inputs, task),
				outcome: { history: [], bestEpoch: 0, stoppedEarly: false }
			};
		},
		async load(saved, task, classes) {
			const { json, members: savedMembers } = readEnsemble(saved, familyEntry);
			if (json.task !== task)
				throw new Error(`The ensemble was trained for ${json.task}, not ${task}.`);
			const members: Member[] = [];
			try {
				for (let i = 0; i < savedMembers.length; i++)
					members.push({
						model: await loadModel(savedMembers[i]!, task, classes),
						weight: json.members[i]!.weight,
						readsMissing: familyEntry(savedMembers[i]!.family).readsMissing
					});
			} catch (error) {
				for (const m of members) m.model.dispose();
				throw error;
			}
			return trained(members, json.fill, json.inputs, task);
		}
	};
}
