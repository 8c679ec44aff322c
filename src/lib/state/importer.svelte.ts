import { errorCode, errorMessage } from '../core/errors';
import type { ReadProgress } from '../core/table/read';
import { conversionProblem } from '../core/table/convert';
import { targetTokenLoss } from '../core/table/missing';
import {
	InputError,
	type ColumnType,
	type Dialect,
	type Encoding,
	type Table
} from '../core/table/types';
import { createDataWorker, sendTable, type DataWorker } from '../workers/client';
import type { ImportResult } from '../workers/data-api';
import { loadTable } from '../storage/datasets';
import { saveImport } from '../workflows/import';
import type { VersionRecord } from '../storage/types';
import { proxy } from 'comlink';
import { workspace } from './workspace.svelte';

export interface ImportTarget {
	/** Re-import into this dataset as its next version. */
	datasetId?: string;
	/** The version an edit starts from (lineage). */
	parent?: string;
	name?: string;
	target?: string | null;
}

export type ImportPhase =
	| { name: 'idle'; notice: string | null }
	| { name: 'reading'; fileName: string; progress: ReadProgress }
	| { name: 'review'; busy: boolean; notice: string | null }
	| { name: 'saving' }
	| { name: 'error'; message: string; code: string; fileName: string };

/**
 * One import, from the dropped file to a saved dataset version. Parsing, type changes,
 * profiling and hashing happen in the data worker; this class only holds what the page shows.
 */
class Importer {
	phase = $state<ImportPhase>({ name: 'idle', notice: null });
	/** The file being read; null when editing a stored version (no re-reading then). */
	file = $state.raw<File | null>(null);
	/** Where the rows came from, for the saved version's record. */
	source = $state<{ fileName: string; bytes: number } | null>(null);
	dialect = $state<Dialect | null>(null);
	result = $state.raw<ImportResult | null>(null);
	target = $state<string | null>(null);
	name = $state('');
	destination = $state<ImportTarget>({});
	/**
	 * The user has answered the question a target's missing tokens raise (more than 5 % of its
	 * rows would be left out); asked again after every read and target change.
	 */
	targetLossAccepted = $state(false);
	/** The rows the target loses to tokens read as missing, when that needs the user's answer. */
	targetLoss = $derived(
		this.result
			? targetTokenLoss(
					this.result.report.missingTokens ?? [],
					this.target,
					this.result.table.rowCount
				)
			: null
	);
	private worker: DataWorker | null = null;

	/** Starts importing `file`: sniff the dialect, then stream it through the worker. */
	async begin(file: File, destination: ImportTarget = {}): Promise<void> {
		this.reset();
		this.file = file;
		this.source = { fileName: file.name, bytes: file.size };
		this.destination = destination;
		this.name =
			destination.name ?? file.name.replace(/\.(csv|tsv|tab|txt|json|jsonl|ndjson|parquet)$/i, '');
		this.target = destination.target ?? null;
		const worker = this.freshWorker();
		try {
			this.dialect = await worker.call(worker.api.sniff(file));
		} catch (error) {
			this.fail(error);
			return;
		}
		await this.read();
	}

	/**
	 * Reviews a stored version again, to change types or the target; saving makes the dataset's
	 * next version, derived from this one.
	 */
	edit(version: VersionRecord, table: Table): void {
		this.reset();
		this.source = version.source;
		this.dialect = version.dialect;
		this.name = '';
		this.target = version.target;
		this.destination = { datasetId: version.datasetId, parent: version.id };
		this.result = {
			table,
			tableId: version.tableId,
			profile: version.profile,
			report: version.report,
			inferredTypes: version.columns.map((c) => c.inferredType)
		};
		this.phase = { name: 'review', busy: false, notice: null };
	}

	/** `edit` for a stored version: its table is loaded from storage first. */
	async editStored(version: VersionRecord): Promise<void> {
		this.edit(version, await loadTable(await workspace.connection(), version.tableId));
	}

	/** Reads the file again with changed dialect settings (the user's override). */
	async changeDialect(change: Partial<Dialect>): Promise<void> {
		if (!this.dialect || !this.file) return;
		this.dialect = { ...this.dialect, ...change };
		await this.read();
	}

	/**
	 * After an encoding error: sniff again in `encoding` (delimiter and header are found in the
	 * right text, which matters for UTF-16 without a BOM), then read again.
	 */
	async chooseEncoding(encoding: Encoding): Promise<void> {
		const file = this.file;
		if (!file) return;
		const worker = this.freshWorker();
		try {
			this.dialect = await worker.call(worker.api.sniff(file, encoding));
		} catch (error) {
			this.fail(error);
			return;
		}
		await this.read();
	}

	/** Stops the import at once; nothing has been written. */
	cancel(): void {
		this.worker?.dispose(new InputError('Import cancelled. Nothing was saved.', 'cancelled'));
		this.worker = null;
		this.result = null;
		this.phase = { name: 'idle', notice: 'Import cancelled. Nothing was saved.' };
	}

	reset(): void {
		this.worker?.dispose();
		this.worker = null;
		this.file = null;
		this.source = null;
		this.dialect = null;
		this.result = null;
		this.phase = { name: 'idle', notice: null };
	}

	async setType(column: string, type: ColumnType): Promise<void> {
		const result = this.result;
		if (!result || this.phase.name !== 'review') return;
		const profile = result.profile.columns.find((c) => c.name === column);
		const problem = profile ? conversionProblem(column, profile.unique, type) : null;
		if (problem) {
			this.phase = { name: 'review', busy: false, notice: problem };
			return;
		}
		await this.inWorker(async (worker) => {
			const next = await worker.call(
				worker.api.retype(sendTable(result.table), [{ column, type }], this.target)
			);
			this.result = { ...result, ...next };
			const lost = next.lost[0];
			return lost
				? `${lost.count} value${lost.count === 1 ? '' : 's'} of "${lost.column}" could not be read as ${type} and are now missing.`
				: null;
		});
	}

	/**
	 * Reads `token` in `column` as missing or as a value, by reading the file again with that
	 * choice in its dialect (stored with the version, so that the choice is on record).
	 */
	async setMissing(column: string, token: string, missing: boolean): Promise<void> {
		if (!this.dialect || !this.file) return;
		const policy = $state.snapshot(this.dialect.missing) ?? {};
		const before = policy.columns ?? {};
		const choices = Object.hasOwn(before, column) ? before[column]! : {};
		// fromEntries makes own keys, even for a column or token called `__proto__`.
		const columns = Object.fromEntries([
			...Object.entries(before),
			[column, Object.fromEntries([...Object.entries(choices), [token, missing]])]
		]) as Record<string, Record<string, boolean>>;
		await this.changeDialect({ missing: { ...policy, columns } });
	}

	async setTarget(target: string | null): Promise<void> {
		const result = this.result;
		if (!result || this.phase.name !== 'review') return;
		this.target = target;
		this.targetLossAccepted = false;
		await this.inWorker(async (worker) => {
			const next = await worker.call(worker.api.analyze(sendTable(result.table), target));
			this.result = { ...result, ...next };
			return null;
		});
	}

	/** Stores the reviewed table as a new dataset, or as the next version of the chosen one. */
	async save(): Promise<{ version: VersionRecord; unchanged: boolean } | null> {
		const result = this.result;
		const source = this.source;
		if (!result || !source || !this.dialect) return null;
		if (this.targetLoss && !this.targetLossAccepted) {
			this.phase = {
				name: 'review',
				busy: false,
				notice: 'Answer the question about the target’s missing values first.'
			};
			return null;
		}
		this.phase = { name: 'saving' };
		try {
			const saved = await saveImport(await workspace.connection(), {
				destination: $state.snapshot(this.destination),
				name: this.name,
				source: $state.snapshot(source),
				dialect: $state.snapshot(this.dialect),
				result,
				target: this.target
			});
			await workspace.refresh();
			this.reset();
			return saved;
		} catch (error) {
			this.phase = { name: 'review', busy: false, notice: errorMessage(error) };
			return null;
		}
	}

	private async read(): Promise<void> {
		const file = this.file;
		const dialect = this.dialect;
		if (!file || !dialect) return;
		const worker = this.freshWorker();
		this.result = null;
		this.targetLossAccepted = false;
		this.phase = {
			name: 'reading',
			fileName: file.name,
			progress: { bytes: 0, totalBytes: file.size, rows: 0 }
		};
		try {
			const result = await worker.call(
				worker.api.importFile(
					file,
					$state.snapshot(dialect),
					this.target,
					proxy((progress: ReadProgress) => {
						if (this.worker === worker && this.phase.name === 'reading') {
							this.phase = { ...this.phase, progress };
						}
					})
				)
			);
			if (this.worker !== worker) return;
			this.result = result;
			if (this.target && !result.table.columns.some((c) => c.name === this.target))
				this.target = null;
			const notices: string[] = [];
			if (result.report.raggedCount > 0) {
				const lines = result.report.raggedLines.slice(0, 10).join(', ');
				notices.push(
					`${result.report.raggedCount} row${result.report.raggedCount === 1 ? ' was' : 's were'} left out because ${result.report.raggedCount === 1 ? 'it does' : 'they do'} not have ${result.table.columns.length} fields: line${result.report.raggedLines.length === 1 ? '' : 's'} ${lines}${result.report.raggedCount > 10 ? ', …' : ''}.`
				);
			}
			this.phase = { name: 'review', busy: false, notice: notices.join(' ') || null };
		} catch (error) {
			if (this.worker !== worker) return;
			this.fail(error);
		}
	}

	private async inWorker(work: (worker: DataWorker) => Promise<string | null>): Promise<void> {
		const worker = this.worker ?? this.freshWorker();
		this.phase = { name: 'review', busy: true, notice: null };
		try {
			const notice = await work(worker);
			this.phase = { name: 'review', busy: false, notice };
		} catch (error) {
			this.fail(error);
		}
	}

	private freshWorker(): DataWorker {
		this.worker?.dispose();
		this.worker = createDataWorker();
		return this.worker;
	}

	private fail(error: unknown): void {
		const code = errorCode(error) ?? 'unknown';
		this.worker?.dispose();
		this.worker = null;
		this.phase = {
			name: 'error',
			message: errorMessage(error),
			code,
			fileName: this.file?.name ?? ''
		};
	}
}

export const importer = new Importer();
