import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './db';
import { getRunArtifacts, listRuns } from './runs';
import { listModelVersions } from './models';

const topology = (layers: number) => ({
	class_name: 'Sequential',
	config: {
		layers: Array.from({ length: layers }, (_, i) => ({
			class_name: 'Dense',
			config: { units: i === layers - 1 ? 3 : 8, activation: i === layers - 1 ? 'softmax' : 'relu' }
		}))
	}
});

describe('database 6 → 7', () => {
	it('moves run artifacts to their own store and model versions to saved files, all at once', async () => {
		const name = 'upgrade-6';
		const old = await openDB(name, 6, {
			upgrade(db) {
				const runs = db.createObjectStore('runs', { keyPath: 'id' });
				runs.createIndex('byCreated', 'createdAt');
				runs.createIndex('byVersion', 'versionId');
				const versions = db.createObjectStore('modelVersions', { keyPath: 'id' });
				versions.createIndex('byModel', 'name');
				versions.createIndex('byRun', 'runId');
				db.createObjectStore('monitorBatches', { keyPath: 'id' }).createIndex(
					'byModelVersion',
					'modelVersionId'
				);
			}
		});
		await old.put('monitorBatches', {
			id: 'b1',
			modelVersionId: 'm@1',
			report: { features: [], alerts: ['Dataset drift: …'] },
			alerts: ['Dataset drift: …']
		});
		const weights = Float32Array.from([0.5, -1, 2]).buffer;
		await old.put('runs', {
			id: 'r1',
			createdAt: 1,
			heartbeat: 1,
			status: 'done',
			config: { model: { kind: 'mlp' } },
			result: {
				task: 'multiclass',
				primaryMetric: 'accuracy',
				validation: { accuracy: 0.8, log_loss: 0.5 },
				timings: { prepare: 0, train: 2, evaluate: 0 },
				test: { accuracy: 0.9 },
				artifacts: {
					modelTopology: topology(2),
					weightSpecs: [{ name: 'w', shape: [3], dtype: 'float32' }],
					weightData: weights
				},
				referenceSample: { rows: 2, columns: [] }
			}
		});
		await old.put('runs', { id: 'r2', createdAt: 2, heartbeat: 2, status: 'failed', result: null });
		await old.put('modelVersions', {
			id: 'm@1',
			name: 'm',
			version: 1,
			runId: 'r1',
			manifest: { formatVersion: 1, model: { name: 'm', version: 1, task: 'multiclass' } },
			modelJson: {
				format: 'layers-model',
				modelTopology: topology(1),
				weightsManifest: [{ paths: ['weights.bin'], weights: [] }]
			},
			weights,
			card: ''
		});
		old.close();

		const db = await openDatabase(indexedDB, {}, name);
		const runs = await listRuns(db);
		expect(runs.map((r) => r.id)).toEqual(['r2', 'r1']);
		const done = runs.find((r) => r.id === 'r1')!;
		expect(done.result).toMatchObject({ test: { accuracy: 0.9 }, model: { kind: 'mlp' } });
		expect(done.result).not.toHaveProperty('artifacts');
		expect(done.result?.candidates).toEqual([
			{ model: { kind: 'mlp' }, validation: 0.8, loss: 0.5, seconds: 2, chosen: true }
		]);
		const artifacts = (await getRunArtifacts(db, 'r1'))!;
		expect(artifacts.model.family).toBe('mlp');
		expect(Object.keys(artifacts.model.files)).toEqual(['model.json', 'weights.bin']);
		expect(
			Array.from(new Float32Array(artifacts.model.files['weights.bin']!.slice().buffer))
		).toEqual([0.5, -1, 2]);
		expect(artifacts.referenceSample).toEqual({ rows: 2, columns: [] });
		expect(await getRunArtifacts(db, 'r2')).toBeUndefined();
		const [version] = await listModelVersions(db);
		expect(version).not.toHaveProperty('modelJson');
		expect(version).not.toHaveProperty('weights');
		// One dense layer: a linear model; the manifest is format 2 and names it.
		expect(version!.model.family).toBe('linear');
		expect(version!.manifest).toMatchObject({ formatVersion: 2, model: { family: 'linear' } });
		// Alerts are derived from a batch's findings now: the stored texts are gone.
		const batch = await db.get('monitorBatches', 'b1');
		expect(batch).toEqual({ id: 'b1', modelVersionId: 'm@1', report: { features: [] } });
		db.close();
	});
});
