import { transfer } from 'comlink';
import type { AuditResult } from '../core/audit/audit';
import { rowsToLeaveOut, type FlagKind } from '../core/audit/flags';
import { errorMessage } from '../core/errors';
import { tableBuffers } from '../core/table/access';
import type { Table } from '../core/table/types';
import { loadTable } from '../storage/datasets';
import type { VersionRecord } from '../storage/types';
import { createDataWorker, sendTable } from '../workers/client';
import { saveWithoutFlagged } from '../workflows/audit';
import type { CleanedComparison } from '../core/audit/compare';
import type { ExperimentConfig } from '../core/model/types';
import { suggestSplit } from '../core/model/split';
import { workspace } from './workspace.svelte';
import { WorkerJob } from './worker-job.svelte';

/**
 * An audit as the page sees it: progress, Cancel, the result and the table it was run on (for
 * the flagged rows' values). The work runs in a train worker (core/audit); saving a version
 * without flagged rows, in a data worker. Results live with the page.
 */
class Auditor extends WorkerJob {
	result = $state.raw<AuditResult | null>(null);
	/** The version and table the result belongs to. */
	version = $state.raw<VersionRecord | null>(null);
	table = $state.raw<Table | null>(null);

	/** `network`: average a network with the trees (true), the trees alone (false), by size (absent). */
	async run(version: VersionRecord, target: string, network?: boolean): Promise<void> {
		this.result = null;
		this.comparison = null;
		let table: Table | null = null;
		const result = await this.work(async (worker, onProgress) => {
			table = await loadTable(await workspace.connection(), version.tableId);
			// Copied, not transferred: the page shows the flagged rows' values from it.
			const config = { target, ...(network === undefined ? {} : { network }) };
			return worker.call(worker.api.audit(table, config, onProgress));
		});
		if (!result || !table) return;
		const audited: Table = table;
		// The rows shown must be the rows audited: a table whose buffers went to a worker is empty.
		if (
			audited.columns.some(
				(c) => (c.storage === 'float' ? c.values : c.codes).length !== audited.rowCount
			)
		) {
			this.error = 'The audited table is no longer readable here: audit it again.';
			return;
		}
		this.table = audited;
		this.version = version;
		this.result = result;
	}

	/** The fair test of the flags of `kinds`, for the version audited; null until it ran. */
	comparison = $state.raw<{ kinds: FlagKind[]; split: string; result: CleanedComparison } | null>(
		null
	);

	/**
	 * Trains the audited version's rows and the same rows without the flags of `kinds` — the
	 * suggested recipe and split, the automatic choice of the first for both — scored on the same
	 * untouched test rows.
	 */
	async compare(kinds: FlagKind[]): Promise<void> {
		const { result, version } = this;
		if (!result || !version) return;
		this.comparison = null;
		const drop = [...rowsToLeaveOut(result, kinds).rows];
		const split = suggestSplit(version.profile, result.target);
		const config: ExperimentConfig = {
			target: result.target,
			task: result.task,
			// The audit's recipe: its leak suspects left out, or they would decide the comparison.
			recipe: result.recipe,
			split: split.spec,
			model: { kind: 'auto', seed: split.spec.seed },
			robustness: false,
			importance: false
		};
		const compared = await this.work(async (worker) => {
			this.progress = { done: 0, total: 0, what: 'training with and without the flagged rows' };
			const table = await loadTable(await workspace.connection(), version.tableId);
			return worker.call(
				worker.api.compareCleaned(sendTable(table), config, drop, workspace.backendOrder())
			);
		});
		if (compared && this.version?.id === version.id)
			this.comparison = { kinds: [...kinds], split: split.reason, result: compared };
	}

	/** The dataset's next version without the rows flagged by `kinds`; null when it failed. */
	async saveWithout(datasetName: string, kinds: FlagKind[]): Promise<VersionRecord | null> {
		const { result, version } = this;
		if (!result || !version) return null;
		this.error = null;
		const worker = createDataWorker();
		try {
			const saved = await saveWithoutFlagged(
				await workspace.connection(),
				{
					withoutRows: (table, drop, target) =>
						worker.call(
							worker.api.withoutRows(
								transfer(table, tableBuffers(table)),
								// Copied, not transferred: the caller still counts these rows.
								drop,
								target
							)
						)
				},
				version,
				datasetName,
				result,
				kinds
			);
			await workspace.refresh();
			return saved;
		} catch (error) {
			this.error = errorMessage(error);
			return null;
		} finally {
			worker.dispose();
		}
	}
}

export const auditor = new Auditor();
