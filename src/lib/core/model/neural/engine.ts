import { candidatesOf, type EnsembleSpec, type ModelChoice, type NeuralSpec } from '../spec';

/**
 * Where networks train. 'auto' (the default everywhere): in plain loops (`fitDense`) when the
 * network is small enough that tfjs's per-step bookkeeping (~1 ms on WASM, ~30 ms per dispatch
 * round on a GPU, measured) outweighs its arithmetic — every network the automatic choice trains
 * — and on the active tfjs backend otherwise. 'backend': always on the tfjs backend (the studio,
 * when the user picked one).
 */
export type NetworkEngine = 'auto' | 'backend';

let engine: NetworkEngine = 'auto';

/** Sets where networks train in this worker or process. */
export function setNetworkEngine(value: NetworkEngine): void {
	engine = value;
}

/**
 * The widest hidden layer that trains in loops. `npm run bench` (20,000 rows × 20 features, batch
 * 32): the loops train an epoch 7× faster than tfjs's WASM backend at 32 units and still 2× at
 * 128; beyond, the backend's matrix kernels (and a GPU's) catch up, so wider layers go to it.
 */
export const LOOPS_MAX_UNITS = 128;

/** Whether this spec's network trains in loops here. */
export function trainsInLoops(spec: NeuralSpec): boolean {
	if (engine === 'backend') return false;
	const hidden = spec.kind === 'mlp' ? spec.hidden : [];
	return hidden.every((units) => units <= LOOPS_MAX_UNITS);
}

/** Whether every network `choice` may train (its candidates, an ensemble's members) trains in loops. */
export function allInLoops(choice: ModelChoice | EnsembleSpec): boolean {
	return candidatesOf(choice)
		.flatMap((spec) => (spec.kind === 'ensemble' ? spec.members.map((m) => m.spec) : [spec]))
		.every((spec) => spec.kind === 'gbdt' || trainsInLoops(spec));
}
