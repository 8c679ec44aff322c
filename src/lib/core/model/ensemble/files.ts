import type { FamilyEntry, ModelDescription, SavedModel } from '../family';
import type { Task } from '../task';
import type { FillPlan } from './fill';

/**
 * An ensemble as a bundle holds it: `model/ensemble.json` names the members (family and weight),
 * the task, the input width and the fill plan (how members that do not read missing values see
 * the matrix); member i's own files sit under `model/m<i>/`, exactly as its family saves them.
 * Every member file is listed by the ensemble and checked by its family, as a single model's are.
 */
export const ENSEMBLE_FILE = 'ensemble.json';
export const ENSEMBLE_FORMAT = 'driftwood-ensemble';
export const ENSEMBLE_VERSION = 1;
/** More members than the selection could ever pick (it runs 20 rounds). */
const MAX_MEMBERS = 32;

export interface EnsembleJson {
	format: typeof ENSEMBLE_FORMAT;
	version: typeof ENSEMBLE_VERSION;
	task: Task;
	inputs: number;
	fill: FillPlan;
	members: { family: string; weight: number }[];
}

/** An ensemble file read and checked, with each member's saved model. */
export interface ReadEnsemble {
	json: EnsembleJson;
	members: SavedModel[];
}

/** Where member `i`'s file `name` sits under `model/`. */
export function memberPath(i: number, name: string): string {
	return `m${i}/${name}`;
}

/** The saved ensemble: its file and each member's files, under their member folder. */
export function ensembleSaved(json: EnsembleJson, members: SavedModel[]): SavedModel {
	const files: Record<string, Uint8Array> = {
		[ENSEMBLE_FILE]: new TextEncoder().encode(JSON.stringify(json))
	};
	members.forEach((m, i) => {
		for (const [name, bytes] of Object.entries(m.files)) files[memberPath(i, name)] = bytes;
	});
	return { family: 'ensemble', files };
}

const isWhole = (v: unknown, lo: number, hi: number): v is number =>
	typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The ensemble file alone, checked; throws what is wrong. */
export function readEnsembleJson(
	files: Record<string, Uint8Array>,
	entryOf: (family: string) => FamilyEntry
): EnsembleJson {
	const bytes = files[ENSEMBLE_FILE];
	if (!bytes) throw new Error(`model/${ENSEMBLE_FILE} is missing.`);
	let json: EnsembleJson;
	try {
		json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as EnsembleJson;
	} catch {
		throw new Error(`model/${ENSEMBLE_FILE} is not valid JSON.`);
	}
	const where = `model/${ENSEMBLE_FILE}`;
	if (!json || json.format !== ENSEMBLE_FORMAT)
		throw new Error(`${where} is not a Driftwood ensemble.`);
	if (json.version !== ENSEMBLE_VERSION)
		throw new Error(
			`${where} is version ${String(json.version)}; this Driftwood reads version ${ENSEMBLE_VERSION}.`
		);
	if (!['binary', 'multiclass', 'regression'].includes(json.task))
		throw new Error(`${where} names no task.`);
	if (!isWhole(json.inputs, 1, 1_000_000)) throw new Error(`${where} has no input count.`);
	const fill = json.fill;
	if (
		!fill ||
		!Array.isArray(fill.values) ||
		fill.values.length !== json.inputs ||
		!fill.values.every(isFiniteNumber) ||
		!Array.isArray(fill.blocks) ||
		!fill.blocks.every(
			(b) =>
				isWhole(b?.width, 1, json.inputs) &&
				isWhole(b.start, 0, json.inputs - b.width) &&
				isWhole(b.fill, 0, b.width - 1)
		)
	)
		throw new Error(`${where} has a fill plan that does not fit its ${json.inputs} inputs.`);
	if (!Array.isArray(json.members) || json.members.length < 2 || json.members.length > MAX_MEMBERS)
		throw new Error(`${where} does not list between 2 and ${MAX_MEMBERS} members.`);
	let total = 0;
	json.members.forEach((m, i) => {
		if (typeof m?.family !== 'string' || m.family === 'ensemble')
			throw new Error(`${where}: member ${i + 1} names no single model family.`);
		entryOf(m.family); // throws, by name, for a family this Driftwood does not know
		if (!(isFiniteNumber(m.weight) && m.weight > 0 && m.weight <= 1))
			throw new Error(`${where}: member ${i + 1} has a weight that is not in (0, 1].`);
		total += m.weight;
	});
	if (Math.abs(total - 1) > 1e-6)
		throw new Error(`${where}: the members' weights add up to ${total}, not 1.`);
	return json;
}

/** The files under `model/` an ensemble holds besides its own file: each member's, by folder. */
export function ensembleMemberFiles(
	files: Record<string, Uint8Array>,
	entryOf: (family: string) => FamilyEntry
): string[] {
	const json = readEnsembleJson(files, entryOf);
	return json.members.flatMap((m, i) => entryOf(m.family).files.map((f) => memberPath(i, f)));
}

/** The ensemble and its members' saved models, each member checked by its family. */
export function readEnsemble(
	saved: SavedModel,
	entryOf: (family: string) => FamilyEntry
): ReadEnsemble {
	const json = readEnsembleJson(saved.files, entryOf);
	const expected = new Set([ENSEMBLE_FILE]);
	const members = json.members.map((m, i) => {
		const entry = entryOf(m.family);
		const files: Record<string, Uint8Array> = {};
		for (const name of entry.files) {
			const bytes = saved.files[memberPath(i, name)];
			if (!bytes) throw new Error(`model/${memberPath(i, name)} is missing.`);
			files[name] = bytes;
			expected.add(memberPath(i, name));
		}
		const member: SavedModel = { family: m.family, files };
		const problems = entry.verify(member);
		if (problems.length) throw new Error(`Member ${i + 1} (${entry.label}): ${problems.join(' ')}`);
		const described = entry.describe(member);
		if (described.inputs !== json.inputs)
			throw new Error(
				`Member ${i + 1} (${entry.label}) reads ${described.inputs} features, the ensemble ${json.inputs}.`
			);
		return member;
	});
	for (const name of Object.keys(saved.files))
		if (!expected.has(name))
			throw new Error(`The ensemble holds an unexpected file (model/${name}).`);
	return { json, members };
}

/** Plain words about a saved ensemble, for the card and the model page. */
export function describeEnsemble(
	saved: SavedModel,
	entryOf: (family: string) => FamilyEntry
): ModelDescription {
	const { json, members } = readEnsemble(saved, entryOf);
	const described = members.map((m) => entryOf(m.family).describe(m));
	return {
		summary: `Ensemble of ${members.length} models, their predictions averaged with weights: ${json.members
			.map((m, i) => `${Math.round(m.weight * 100)} % ${described[i]!.summary}`)
			.join('; ')}`,
		parameters: described.reduce((n, d) => n + d.parameters, 0),
		inputs: json.inputs,
		outputs: described[0]!.outputs
	};
}
