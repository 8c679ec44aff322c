import { proxy, transfer } from 'comlink';
import type { AuditResult } from '../core/audit/audit';
import type { FlagKind } from '../core/audit/flags';
import { errorCode, errorMessage } from '../core/errors';
import { tableBuffers } from '../core/table/access';
import type { Table } from '../core/table/types';
import { loadTable } from '../storage/datasets';
import type { VersionRecord } from '../storage/types';
import { createDataWorker } from '../workers/client';
import { createTrainWorker, type TrainWorker } from '../workers/train-client';
import { saveWithoutFlagged } from '../workflows/audit';
import { workspace } from './workspace.svelte';

/** How long Cancel waits for the worker to stop between folds before it is terminated. */
const CANCEL_GRACE_MS = 2_000;

/**
 * An audit as the page sees it: progress, Cancel, the result and the table it was run on (for
 * the flagged rows' values). The work runs in a train worker (core/audit); saving a version
 * without flagged rows, in a data worker. Results live with the page.
 */
class Auditor {
	running = $state(false);
	progress = $state.raw<{ done: number; total: number; what: string } | null>(null);
	result = $state.raw<AuditResult | null>(null);
	/** The version and table the result belongs to. */
	version = $state.raw<VersionRecord | null>(null);
	table = $state.raw<Table | null>(null);
	error = $state<string | null>(null);
	cancelled = $state(false);
	private worker: TrainWorker | null = null;

	async run(version: VersionRecord, target: string): Promise<void> {
		if (this.running) return;
		this.running = true;
		this.error = null;
		this.cancelled = false;
		this.result = null;
		this.progress = { done: 0, total: 0, what: 'reading the table' };
		const worker = (this.worker = createTrainWorker());
		try {
			const table = await loadTable(await workspace.connection(), version.tableId);
			const result = await worker.call(
				worker.api.audit(
					// Copied, not transferred: the page shows the flagged rows' values from it.
					table,
					{ target },
					proxy((done: number, total: number, what: string) => {
						this.progress = { done, total, what };
					})
				)
			);
			// The rows shown must be the rows audited: a table whose buffers went to a worker is empty.
			if (
				table.columns.some(
					(c) => (c.storage === 'float' ? c.values : c.codes).length !== table.rowCount
				)
			)
				throw new Error('The audited table is no longer readable here: audit it again.');
			this.table = table;
			this.version = version;
			this.result = result;
		} catch (error) {
			if (errorCode(error) === 'cancelled') this.cancelled = true;
			else this.error = errorMessage(error);
		} finally {
			worker.dispose();
			this.worker = null;
			this.running = false;
			this.progress = null;
		}
	}

	/** Stops the audit: asked politely between folds, then the worker is ended. */
	cancel(): void {
		const worker = this.worker;
		if (!worker) return;
		void worker.api.cancel();
		setTimeout(() => {
			if (this.worker === worker) worker.dispose();
		}, CANCEL_GRACE_MS);
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
