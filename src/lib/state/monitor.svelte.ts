import { DriftwoodError, errorMessage } from '../core/errors';
import { batchAlerts } from '../core/drift/alerts';
import { batchVerdict } from '../core/drift/verdict';
import { driftCount } from '../core/drift/report';
import { proxy } from 'comlink';
import type { ReadProgress } from '../core/table/read';
import { getModelVersion } from '../storage/models';
import { DEFAULT_THRESHOLDS, type DriftThresholds } from '../core/drift/thresholds';
import {
	DEFAULT_POLICY,
	retrainSuggestion,
	type BatchSignal,
	type RetrainPolicy
} from '../core/drift/retrain';
import { deleteBatch, getSettings, listBatches, putSettings } from '../storage/monitor';
import { batchRecord, storeBatch } from '../workflows/monitor';
import type { ModelVersionRecord, MonitorBatchRecord } from '../storage/types';
import { VersionWorker } from './predict-worker.svelte';
import { retrainer } from './retrainer.svelte';
import { autopilotPlan, DEFAULT_AUTOPILOT, type AutopilotPolicy } from '../core/drift/autopilot';
import { adoptSimulatedPolicy, autopilotBatches } from '../workflows/autopilot';
import type { Policy } from '../core/backtest/policy';
import { workspace } from './workspace.svelte';
import type { Dialect } from '../core/drift/pushdown-sql';

/**
 * The monitor of one model version as the page sees it: its batches (the timeline) and the batch
 * being checked. The checks run in a predict worker that holds the model.
 */
class Monitor {
	version = $state.raw<ModelVersionRecord | null>(null);
	batches = $state.raw<MonitorBatchRecord[]>([]);
	progress = $state<ReadProgress | null>(null);
	thresholds = $state<DriftThresholds>({ ...DEFAULT_THRESHOLDS, tests: [] });
	policy = $state<RetrainPolicy>({ ...DEFAULT_POLICY });
	autopilot = $state<AutopilotPolicy>({ ...DEFAULT_AUTOPILOT });
	error = $state<string | null>(null);
	/** Something the user should know about the last upload that did not stop it. */
	warning = $state<string | null>(null);
	/**
	 * Each batch judged with the monitor's thresholds and drop rule (as they are now): its verdict
	 * and its alerts, one derivation so that the two always agree.
	 */
	judged = $derived(
		this.batches.map((b) => ({
			verdict: batchVerdict(b, this.thresholds, this.policy.performanceDrop),
			alerts: batchAlerts(b, this.thresholds, this.policy.performanceDrop)
		}))
	);
	/** What the autopilot's policy makes of the newest labelled batch, as the settings stand. */
	autopilotPlan = $derived(
		autopilotPlan(this.autopilot, autopilotBatches(this.batches), this.policy.performanceDrop)
	);
	/** Why the policy suggests retraining after the newest batch, or null. */
	suggestion = $derived(retrainSuggestion(signalOf(this.batches.at(-1) ?? null), this.policy));
	private readonly loaded = new VersionWorker();
	private cancelled = false;

	async select(versionId: string): Promise<void> {
		const db = await workspace.connection();
		// Read everything first: the settings form is built when `version` changes.
		const [version, batches, settings] = await Promise.all([
			getModelVersion(db, versionId),
			listBatches(db, versionId),
			getSettings(db, versionId)
		]);
		this.thresholds = settings.thresholds;
		this.policy = settings.policy;
		this.autopilot = settings.autopilot;
		this.batches = version ? batches : [];
		this.version = version ?? null;
		this.error = null;
	}

	/**
	 * The pushdown query of this version for a batch in a warehouse (thrown: a table or condition
	 * the query cannot take, with the reason).
	 */
	async pushdownQuery(options: {
		dialect: Dialect;
		table: string;
		where: string;
		prediction: string;
		target: string;
	}): Promise<string> {
		const version = this.version;
		if (!version) throw new DriftwoodError('Choose a model version first.', 'drift');
		const worker = await this.loaded.ready(version);
		return worker.call(
			worker.api.pushdownQuery(
				{
					dialect: options.dialect,
					table: options.table,
					where: options.where.trim() || undefined,
					prediction: options.prediction.trim() || null,
					target: options.target.trim() || null
				},
				$state.snapshot(this.thresholds) as DriftThresholds
			)
		);
	}

	/**
	 * Checks a batch file — its rows, or (`summary`) the warehouse's result of the pushdown query —
	 * and stores its report; returns it.
	 */
	async upload(file: File, from: 'rows' | 'summary' = 'rows'): Promise<MonitorBatchRecord | null> {
		const version = this.version;
		if (!version) return null;
		this.error = null;
		this.warning = null;
		this.progress = { bytes: 0, totalBytes: file.size, rows: 0 };
		try {
			const worker = await this.loaded.ready(version);
			const thresholds = $state.snapshot(this.thresholds) as DriftThresholds;
			const onProgress = proxy((p: ReadProgress) => {
				this.progress = p;
			});
			const check = await worker.call(
				from === 'summary'
					? worker.api.monitorSummary(file, thresholds, onProgress)
					: worker.api.monitorFile(file, thresholds, onProgress)
			);
			// Cancelled between the check and here: nothing is stored.
			if (this.cancelled) throw new DriftwoodError('cancelled', 'cancelled');
			const batch = batchRecord(version, file.name, check);
			const db = await workspace.connection();
			this.warning = (await storeBatch(db, batch, check.rows)).warning;
			this.batches = await listBatches(db, version.id);
			// A labelled batch on autopilot: the policy decides, in workers, while the page shows it.
			if (this.autopilot.enabled && batch.labelled)
				void retrainer.autopilot(version, this.batches).then((run) => {
					if (run?.record) this.onautopilot?.();
				});
			return batch;
		} catch (error) {
			if (this.cancelled)
				this.warning = `Checking "${file.name}" was cancelled; nothing was stored.`;
			else this.error = errorMessage(error);
			return null;
		} finally {
			this.progress = null;
			this.cancelled = false;
		}
	}

	/** Saves the monitor's settings; thresholds apply to the batches checked from now on. */
	async saveSettings(
		thresholds: DriftThresholds,
		policy: RetrainPolicy,
		autopilot: AutopilotPolicy
	): Promise<void> {
		if (!this.version) return;
		await putSettings(await workspace.connection(), this.version.id, {
			thresholds,
			policy,
			autopilot
		});
		this.thresholds = thresholds;
		this.policy = policy;
		this.autopilot = autopilot;
	}

	/** Makes a simulated policy this monitor's autopilot (`source`: the simulation it came from). */
	async adoptPolicy(policy: Policy, source: string): Promise<void> {
		if (!this.version) return;
		// The one way a simulated policy becomes an autopilot (the backtest page's too).
		const db = await workspace.connection();
		await adoptSimulatedPolicy(db, this.version.id, $state.snapshot(policy) as Policy, source);
		this.autopilot = (await getSettings(db, this.version.id)).autopilot;
	}

	/** Called when the autopilot made a version (the page refreshes its list). */
	onautopilot: (() => void) | null = null;

	async remove(id: string): Promise<void> {
		const db = await workspace.connection();
		await deleteBatch(db, id);
		if (this.version) this.batches = await listBatches(db, this.version.id);
	}

	/** Stops the batch being checked: its worker is terminated, nothing is stored. */
	cancelUpload(): void {
		if (!this.progress) return;
		this.cancelled = true;
		this.dispose();
	}

	dispose(): void {
		this.loaded.dispose();
	}
}

function signalOf(batch: MonitorBatchRecord | null): BatchSignal | null {
	if (!batch) return null;
	const { drifted, counted } = driftCount(batch.report);
	return {
		fileName: batch.fileName,
		datasetDrift: batch.report.datasetDrift,
		driftedFeatures: drifted,
		features: counted,
		performance: batch.performance
	};
}

export const monitor = new Monitor();
