import type {
	FamilyEntry,
	FitData,
	FitOutcome,
	SavedModel,
	TrainHooks,
	TrainedModel
} from '../family';
import type { ModelSpec } from '../spec';
import type { Task } from '../task';

/** What an ensemble needs of the registry: its look-up, and fitting and loading any family. */
export interface Registry {
	entryOf(family: string): FamilyEntry;
	fit(
		data: FitData,
		spec: ModelSpec,
		task: Task,
		hooks?: TrainHooks
	): Promise<{ model: TrainedModel; outcome: FitOutcome }>;
	load(saved: SavedModel, task: Task, classes: number): Promise<TrainedModel>;
}
