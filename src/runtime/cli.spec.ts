import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { unzipSync, zipSync } from 'fflate';
import * as ort from 'onnxruntime-node';
import { asFormatV1 } from '../../tests/unit/format-v1';
import { describe, expect, it } from 'vitest';
import { main } from './cli';
import { AUDIT_NETWORK_MAX_ROWS } from '../lib/core/audit/audit';

async function run(...argv: string[]) {
	let stdout = '';
	let stderr = '';
	const code = await main(
		argv,
		{ write: (t: string) => (stdout += t) },
		{ write: (t: string) => (stderr += t) }
	);
	return { code, stdout, stderr };
}

/** `driftwood train <csv> --target <target> --model linear --epochs <n> --out <bundle>`. */
function trainLinearBundle(csv: string, target: string, epochs: number, bundle: string) {
	return run(
		'train',
		csv,
		'--target',
		target,
		'--model',
		'linear',
		'--epochs',
		String(epochs),
		'--out',
		bundle
	);
}

describe('driftwood profile', () => {
	it('prints the JSON profile with the documented fields', async () => {
		const { code, stdout } = await run('profile', 'static/samples/penguins.csv', '--json');
		expect(code).toBe(0);
		const json = JSON.parse(stdout);
		expect(json.rows).toBe(344);
		expect(json.dialect).toMatchObject({ delimiter: ',', header: true, encoding: 'utf-8' });
		const beak = json.columns.find((c: { name: string }) => c.name === 'Beak Length (mm)');
		expect(Object.keys(beak)).toEqual(
			expect.arrayContaining([
				'name',
				'type',
				'count',
				'missing',
				'unique',
				'mean',
				'std',
				'min',
				'max',
				'p25',
				'p50',
				'p75'
			])
		);
		expect(beak).toMatchObject({
			type: 'numeric',
			count: 342,
			missing: 2,
			unique: 164,
			min: 32.1,
			max: 59.6
		});
	});

	it('prints a readable table, dates as dates', async () => {
		const { code, stdout } = await run(
			'profile',
			'static/samples/cars.csv',
			'--target',
			'Miles_per_Gallon'
		);
		expect(code).toBe(0);
		expect(stdout).toMatch(/406 rows × 9 columns/);
		expect(stdout).toMatch(/Miles_per_Gallon\s+numeric \(target\)\s+398\s+8/);
		expect(stdout).toMatch(/Year\s+datetime.*1970-01-01/);
	});

	it('exits 1 with the studio’s message on bad input', async () => {
		const encoding = await run('profile', 'tests/fixtures/bad/windows-1252.csv');
		expect(encoding.code).toBe(1);
		expect(encoding.stderr).toMatch(/not valid UTF-8.*--encoding windows-1252/);
		expect((await run('profile', 'tests/fixtures/bad/empty.csv')).stderr).toMatch(
			/The file is empty/
		);
		expect((await run('profile', 'missing.csv')).stderr).toMatch(/no such file/);
		expect((await run('profile', 'static/samples/cars.csv', '--target', 'nope')).code).toBe(1);
	});

	it('profiles Parquet and JSON Lines files, and refuses a PNG for what it is', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'driftwood-formats-'));
		writeFileSync(
			join(dir, 'events.parquet'),
			new Uint8Array(
				parquetWriteBuffer({
					columnData: [
						{ name: 'city', type: 'STRING', data: ['Oslo', 'Rome', 'Oslo', null] },
						{ name: 'amount', type: 'DOUBLE', data: [1.5, 2, 3.25, 4] }
					]
				})
			)
		);
		const parquet = await run('profile', join(dir, 'events.parquet'), '--json');
		expect(parquet.code).toBe(0);
		const columns = JSON.parse(parquet.stdout).columns;
		expect(columns.map((c: { name: string; type: string }) => [c.name, c.type])).toEqual([
			['city', 'categorical'],
			['amount', 'numeric']
		]);
		expect(columns[0].missing).toBe(1);
		writeFileSync(join(dir, 'events.jsonl'), '{"a": 1}\n{"a": 2}\n\n{"a": 3}\n');
		const lines = await run('profile', join(dir, 'events.jsonl'));
		expect(lines.code).toBe(0);
		expect(lines.stdout).toMatch(/3 rows × 1 columns \(utf-8; JSON Lines\)/);
		writeFileSync(
			join(dir, 'photo.csv'),
			Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])
		);
		const png = await run('profile', join(dir, 'photo.csv'));
		expect(png.code).toBe(1);
		expect(png.stderr).toMatch(/This looks like a PNG image/);
		expect(png.stderr).not.toMatch(/--encoding/);
	});

	it('reads a file in another encoding and exits 2 on bad usage', async () => {
		const { code, stdout } = await run(
			'profile',
			'tests/fixtures/bad/windows-1252.csv',
			'--encoding',
			'windows-1252',
			'--json'
		);
		expect(code).toBe(0);
		expect(JSON.parse(stdout).columns[0].top.map((t: { value: string }) => t.value)).toEqual([
			'Café',
			'Crème brûlée'
		]);
		expect((await run()).code).toBe(2);
		expect((await run('frobnicate')).code).toBe(2);
		expect((await run('profile', 'a.csv', '--encoding', 'ebcdic')).code).toBe(2);
	});
});

describe('driftwood train', () => {
	it('trains with the default recipe and prints the documented JSON', async () => {
		const { code, stdout } = await run(
			'train',
			'static/samples/penguins.csv',
			'--target',
			'Species',
			'--model',
			'linear',
			'--epochs',
			'40',
			'--json'
		);
		expect(code).toBe(0);
		const json = JSON.parse(stdout);
		expect(json).toMatchObject({
			task: 'multiclass',
			rows: { train: 223, validation: 52, test: 69 }
		});
		// The automatic choice's networks train in loops: TensorFlow.js is never loaded.
		expect(json.backend).toBe('loops');
		expect(Object.keys(json.test)).toEqual(
			expect.arrayContaining(['accuracy', 'balanced_accuracy', 'f1_macro', 'log_loss', 'roc_auc'])
		);
		expect(json.test.accuracy).toBeGreaterThan(json.baseline.accuracy);
	});

	it('prints regression metrics and exits non-zero with the studio’s message on a bad target', async () => {
		const regression = await run(
			'train',
			'static/samples/cars.csv',
			'--target',
			'Miles_per_Gallon',
			'--model',
			'linear',
			'--epochs',
			'30'
		);
		expect(regression.code).toBe(0);
		expect(regression.stdout).toMatch(/regression on "Miles_per_Gallon"/);
		expect(regression.stdout).toMatch(/rmse\s+\d/);
		// The file has a date column: the split is by time, and the output says why.
		expect(regression.stdout).toMatch(/^Split by time because "Year" holds dates/m);
		const text = await run(
			'train',
			'static/samples/cars.csv',
			'--target',
			'Origin',
			'--task',
			'regression'
		);
		expect(text.code).toBe(1);
		expect(text.stderr).toMatch(/holds text, so it cannot be a regression target/);
		expect((await run('train', 'static/samples/cars.csv')).code).toBe(2);
		expect((await run('train', 'static/samples/cars.csv', '--target', 'Nope')).stderr).toMatch(
			/The column "Nope" is missing/
		);
	});
});

describe('driftwood onnx', () => {
	it('writes any bundle (format 2, and format 1) as ONNX that ONNX Runtime runs on raw columns', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'driftwood-onnx-'));
		const bundle = join(dir, 'penguins-v1.driftwood.zip');
		expect(
			(await trainLinearBundle('static/samples/penguins.csv', 'Species', 20, bundle)).code
		).toBe(0);
		const written = await run('onnx', bundle, '--json');
		expect(written.code).toBe(0);
		const json = JSON.parse(written.stdout);
		expect(json.out).toBe(join(dir, 'penguins-v1.onnx'));
		expect(json.inputs.map((i: { name: string; type: string }) => `${i.name}:${i.type}`)).toEqual([
			'Island:string',
			'Beak Length (mm):double',
			'Beak Depth (mm):double',
			'Flipper Length (mm):double',
			'Body Mass (g):double',
			'Sex:string'
		]);
		const row = (island: string, sex: string, numbers: number[]) => ({
			Island: new ort.Tensor('string', [island], [1, 1]),
			Sex: new ort.Tensor('string', [sex], [1, 1]),
			...Object.fromEntries(
				['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'].map(
					(name, i) => [name, new ort.Tensor('float64', Float64Array.of(numbers[i]!), [1, 1])]
				)
			)
		});
		const session = await ort.InferenceSession.create(readFileSync(json.out));
		const gentoo = await session.run(row('Biscoe', 'FEMALE', [47.5, 14.2, 217, 4875]));
		expect(gentoo.label!.data).toEqual(['Gentoo']);
		const adelie = await session.run(row('', '', [39.1, 18.7, 181, NaN]));
		expect(adelie.label!.data).toEqual(['Adelie']);

		// The same model as a format-1 bundle (no family, no model.onnx) exports to the same file.
		const old = join(dir, 'old.zip');
		writeFileSync(old, await asFormatV1(new Uint8Array(readFileSync(bundle))));
		const again = await run('onnx', old, '--out', join(dir, 'old.onnx'));
		expect(again.code).toBe(0);
		expect(again.stdout).toMatch(/^penguins v1 \(linear, multiclass\) → .*old\.onnx/);
		expect(again.stdout).toContain(
			'  probabilities: float [N, 3] — columns Adelie, Chinstrap, Gentoo'
		);
		expect(readFileSync(join(dir, 'old.onnx'))).toEqual(readFileSync(json.out));
	});

	it('refuses a tampered bundle with the import’s message', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'driftwood-onnx-'));
		const bundle = join(dir, 'b.zip');
		expect(
			(await trainLinearBundle('static/samples/penguins.csv', 'Species', 5, bundle)).code
		).toBe(0);
		const files = unzipSync(new Uint8Array(readFileSync(bundle)));
		files['model/weights.bin']![0]! ^= 1;
		writeFileSync(bundle, zipSync(files));
		const refused = await run('onnx', bundle);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toMatch(/model\/weights\.bin does not match its checksum/);
	});
});

describe('driftwood predict', () => {
	it('predicts a file with a bundle written by train --out, in the studio’s CSV columns', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'driftwood-cli-'));
		const bundle = join(dir, 'penguins.driftwood.zip');
		const trained = await trainLinearBundle('static/samples/penguins.csv', 'Species', 20, bundle);
		expect(trained.code).toBe(0);
		expect(trained.stdout).toContain(`Bundle written to ${bundle}`);
		const out = join(dir, 'predictions.csv');
		const predicted = await run(
			'predict',
			'--bundle',
			bundle,
			'static/samples/penguins.csv',
			'--out',
			out
		);
		expect(predicted.code).toBe(0);
		expect(predicted.stdout).toBe(`344 rows predicted → ${out}\n`);
		const lines = readFileSync(out, 'utf8').trim().split('\n');
		expect(lines).toHaveLength(345);
		expect(lines[0]).toMatch(
			/,Sex,prediction,probability_Adelie,probability_Chinstrap,probability_Gentoo$/
		);
	});

	it('adds conformal bounds with --interval: sets of labels, intervals around numbers; refuses a level the rows cannot support', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'driftwood-cli-'));
		const bundle = join(dir, 'penguins.driftwood.zip');
		expect(
			(await trainLinearBundle('static/samples/penguins.csv', 'Species', 20, bundle)).code
		).toBe(0);
		const out = join(dir, 'sets.csv');
		const sets = await run(
			'predict',
			'--bundle',
			bundle,
			'static/samples/penguins.csv',
			'--interval',
			'0.9',
			'--out',
			out
		);
		expect(sets.code).toBe(0);
		expect(sets.stdout).toMatch(
			/Prediction sets at 90 %, calibrated on the out-of-fold predictions of \d+ training \+ validation rows \(models that did not fit them\)\. At 90 % the test rows measured [\d.]+ % coverage\./
		);
		const lines = readFileSync(out, 'utf8').trim().split('\n');
		const header = lines[0]!.split(',');
		expect(header.slice(-2)).toEqual(['level', 'set']);
		const species = header.indexOf('Species');
		let covered = 0;
		for (const line of lines.slice(1)) {
			const cells = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, ''));
			const cell = cells.at(-2)!;
			const set = JSON.parse(
				cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell
			) as string[];
			expect(cells.at(-3)).toBe('0.9');
			for (const label of set) expect(['Adelie', 'Chinstrap', 'Gentoo']).toContain(label);
			if (set.includes(cells[species]!)) covered++;
		}
		expect(covered / (lines.length - 1)).toBeGreaterThan(0.85);
		const tooHigh = await run(
			'predict',
			'--bundle',
			bundle,
			'static/samples/penguins.csv',
			'--interval',
			'0.999'
		);
		expect(tooHigh.code).toBe(1);
		expect(tooHigh.stderr).toMatch(
			/A 99\.9 % bound needs at least 999 held-out rows; this model was calibrated on \d+/
		);
		const outside = await run(
			'predict',
			'--bundle',
			bundle,
			'static/samples/penguins.csv',
			'--interval',
			'90'
		);
		expect(outside.code).toBe(2);
		expect(outside.stderr).toMatch(/--interval takes a coverage level between 0 and 1/);

		const cars = join(dir, 'cars.driftwood.zip');
		expect((await trainLinearBundle('static/samples/cars.csv', 'Horsepower', 30, cars)).code).toBe(
			0
		);
		const intervals = join(dir, 'intervals.csv');
		expect(
			(
				await run(
					'predict',
					'--bundle',
					cars,
					'static/samples/cars.csv',
					'--interval',
					'0.8',
					'--out',
					intervals
				)
			).code
		).toBe(0);
		const rows = readFileSync(intervals, 'utf8').trim().split('\n');
		expect(rows[0]!.split(',').slice(-4)).toEqual(['prediction', 'level', 'lower', 'upper']);
		for (const row of rows.slice(1)) {
			const [prediction, level, lower, upper] = row.split(',').slice(-4).map(Number);
			expect(level).toBe(0.8);
			expect(lower).toBeLessThan(prediction!);
			expect(upper).toBeGreaterThan(prediction!);
		}
	});

	it('trains gradient-boosted trees, bundles them as trees.json, and the runtime predicts the same', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'driftwood-cli-'));
		const bundle = join(dir, 'cars.driftwood.zip');
		const trained = await run(
			'train',
			'static/samples/cars.csv',
			'--target',
			'Miles_per_Gallon',
			'--model',
			'gbdt',
			'--split',
			'random',
			'--json',
			'--out',
			bundle
		);
		expect(trained.code).toBe(0);
		const json = JSON.parse(trained.stdout.slice(0, trained.stdout.lastIndexOf('}') + 1));
		expect(json.task).toBe('regression');
		expect(json.split).toEqual({ kind: 'random', timeColumn: null });
		expect(json.test.r2).toBeGreaterThan(0.75);
		const bytes = readFileSync(bundle);
		const files = unzipSync(new Uint8Array(bytes));
		expect(Object.keys(files).sort()).toEqual([
			'README.md',
			'manifest.json',
			'model.onnx',
			'model/trees.json'
		]);
		const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json']));
		expect(manifest).toMatchObject({ formatVersion: 2, model: { family: 'gbdt' } });
		expect(new TextDecoder().decode(files['README.md'])).toMatch(
			/- Gradient-boosted trees: \d+ iterations/
		);
		const out = join(dir, 'predictions.csv');
		expect(
			(await run('predict', '--bundle', bundle, 'static/samples/cars.csv', '--out', out)).code
		).toBe(0);
		const cli = readFileSync(out, 'utf8').trim().split('\n').slice(1);
		const { loadBundle } = await import('./index');
		const model = await loadBundle(bytes);
		const header = readFileSync('static/samples/cars.csv', 'utf8').split('\n')[0]!.split(',');
		const rows = readFileSync('static/samples/cars.csv', 'utf8')
			.trim()
			.split('\n')
			.slice(1, 6)
			.map((line) =>
				Object.fromEntries(line.split(',').map((v, i) => [header[i], v === '' ? null : v]))
			);
		const predicted = await model.predict(rows);
		predicted.forEach((p, i) => {
			const value = Number(cli[i]!.split(',').at(-1));
			expect(Math.abs((p.prediction as number) - value)).toBeLessThan(1e-6);
		});
		model.dispose();
	});

	it('exits 1 with the studio’s message for a refused bundle or a file missing a column', async () => {
		const refused = await run(
			'predict',
			'--bundle',
			'static/samples/cars.csv',
			'static/samples/penguins.csv'
		);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toMatch(/not a Driftwood bundle/);
		const dir = mkdtempSync(join(tmpdir(), 'driftwood-cli-'));
		const bundle = join(dir, 'cars.driftwood.zip');
		expect(
			(await trainLinearBundle('static/samples/cars.csv', 'Miles_per_Gallon', 10, bundle)).code
		).toBe(0);
		const missing = await run('predict', '--bundle', bundle, 'static/samples/penguins.csv');
		expect(missing.code).toBe(1);
		expect(missing.stderr).toMatch(/lacks the columns "Cylinders", "Displacement"/);
		expect((await run('predict', 'static/samples/cars.csv')).code).toBe(2);
	});
});

describe('driftwood report', () => {
	it('writes one HTML file: each batch judged with its charts drawn in, then the card; no script', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'driftwood-report-'));
		const bundle = join(dir, 'cars.driftwood.zip');
		expect(
			(await trainLinearBundle('static/samples/cars.csv', 'Miles_per_Gallon', 5, bundle)).code
		).toBe(0);
		const lines = readFileSync('static/samples/cars.csv', 'utf8').trim().split('\n');
		writeFileSync(join(dir, 'newest.csv'), [lines[0], ...lines.slice(-150)].join('\n'));
		const out = join(dir, 'report.html');
		const result = await run(
			'report',
			'--bundle',
			bundle,
			'static/samples/cars.csv',
			join(dir, 'newest.csv'),
			'--out',
			out
		);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(
			/^Report of 2 batches and the model card → .*report\.html \(\d+ KB\)/
		);
		const html = readFileSync(out, 'utf8');
		expect(html).toContain('Batch 1: cars.csv');
		expect(html).toContain('Batch 2: newest.csv');
		expect(html).toMatch(/OK: No dataset drift|WARN: /);
		// The newest cars are another population: a finding, as `drift --bundle` would say.
		expect(html).toMatch(/(FAIL|WARN): [^<]+<\/p>\s*<p>[^<]*batch 150 rows/);
		expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(2 * 8);
		expect(html).toContain('<h3>Test metrics (held-out rows)</h3>');
		expect(html).not.toMatch(/<script/i);
		expect(html.length).toBeLessThan(2 * 1024 * 1024);
		// Without --out or --bundle: a usage error, nothing written.
		expect((await run('report', '--bundle', bundle, 'static/samples/cars.csv')).code).toBe(2);
		expect((await run('report', 'static/samples/cars.csv', '--out', out)).code).toBe(2);
		// No batch: the card alone, and it says so.
		expect((await run('report', '--bundle', bundle, '--out', out)).code).toBe(0);
		expect(readFileSync(out, 'utf8')).toContain('No batch is in this report');
	});
});

describe('driftwood drift', () => {
	it('exits 0 without drift and 1 with it, printing the report (a CI gate)', async () => {
		const same = await run(
			'drift',
			'static/samples/penguins.csv',
			'static/samples/penguins.csv',
			'--json'
		);
		expect(same.code).toBe(0);
		const json = JSON.parse(same.stdout);
		expect(json).toMatchObject({ dataset_drift: false, drift_share: 0 });
		expect(Object.keys(json.features[0])).toEqual(
			expect.arrayContaining(['name', 'test', 'statistic', 'p_value', 'psi', 'drifted'])
		);
		const dir = mkdtempSync(join(tmpdir(), 'driftwood-drift-'));
		const lines = readFileSync('static/samples/cars.csv', 'utf8').trim().split('\n');
		writeFileSync(join(dir, 'old.csv'), lines.slice(0, 200).join('\n'));
		writeFileSync(join(dir, 'new.csv'), [lines[0], ...lines.slice(-200)].join('\n'));
		const drifted = await run('drift', join(dir, 'old.csv'), join(dir, 'new.csv'));
		expect(drifted.code).toBe(1);
		expect(drifted.stdout).toMatch(/^FAIL: Dataset drift: \d+ of 8 features drifted/);
		expect(drifted.stdout).not.toMatch(/^Name /m);
		expect((await run('drift', 'static/samples/cars.csv')).code).toBe(2);
		// Against a bundle's training rows: the sample itself does not drift, a shifted copy does.
		const bundle = join(dir, 'cars.driftwood.zip');
		expect(
			(await trainLinearBundle('static/samples/cars.csv', 'Miles_per_Gallon', 5, bundle)).code
		).toBe(0);
		const calm = await run('drift', '--bundle', bundle, 'static/samples/cars.csv', '--json');
		expect(calm.code).toBe(0);
		const calmJson = JSON.parse(calm.stdout);
		expect(calmJson.dataset_drift).toBe(false);
		// With the model: its prediction drift and its measured score (the file has the target).
		expect(calmJson.prediction_drift).toMatchObject({ name: 'prediction', drifted: false });
		expect(calmJson.performance).toMatchObject({ metric: 'r2', estimated: false });
		// A measurement carries its noise: a bootstrap band around it.
		const [low, high] = calmJson.performance.band;
		expect(low).toBeLessThan(calmJson.performance.value);
		expect(high).toBeGreaterThan(calmJson.performance.value);
		expect(calmJson.performance.rows).toBeGreaterThan(300);
		const heavy = lines.map((line, i) =>
			i === 0
				? line
				: line.replace(
						/,(\d+),(\d+(?:\.\d+)?),(\d+),(\d+),/,
						(_, c, d, h, w) => `,${c},${Number(d) * 3},${h},${Number(w) * 2},`
					)
		);
		writeFileSync(join(dir, 'heavy.csv'), heavy.join('\n'));
		const shifted = await run('drift', '--bundle', bundle, join(dir, 'heavy.csv'));
		expect(shifted.stdout).toMatch(/Displacement\s+\S+\s+[\d.e-]+\s+[\d.e—-]+\s+[\d.]+\s+yes/);
		expect(shifted.stdout).toMatch(
			/^Measured r2: -?\d\.\d{4} \(95 % band -?\d\.\d{4}–-?\d\.\d{4}\); test score at training -?\d\.\d{4}$/m
		);
	});

	it('fails the gate when the batch lacks a column the model needs: exit 1, the column on stderr and in the JSON', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'driftwood-schema-'));
		const bundle = join(dir, 'cars.driftwood.zip');
		expect(
			(await trainLinearBundle('static/samples/cars.csv', 'Miles_per_Gallon', 5, bundle)).code
		).toBe(0);
		const lines = readFileSync('static/samples/cars.csv', 'utf8').trim().split('\n');
		const header = lines[0]!.split(',');
		const drop = header.indexOf('Horsepower');
		expect(drop).toBeGreaterThan(0);
		const without = lines.map((line) =>
			line
				.split(',')
				.filter((_, i) => i !== drop)
				.join(',')
		);
		writeFileSync(join(dir, 'live.csv'), without.join('\n'));
		const json = await run('drift', '--bundle', bundle, join(dir, 'live.csv'), '--json');
		expect(json.code).toBe(1);
		expect(json.stderr).toMatch(
			/Schema failure: predictions skipped — the batch lacks "Horsepower"/
		);
		const report = JSON.parse(json.stdout);
		expect(report.missing_columns).toEqual(['Horsepower']);
		expect(report.verdict).toMatchObject({ level: 'fail', fails_gate: true });
		expect(report.verdict.findings[0]).toBe('schema failure');
		expect(report.prediction_drift).toBeNull();
		const text = await run('drift', '--bundle', bundle, join(dir, 'live.csv'));
		expect(text.code).toBe(1);
		expect(text.stdout).toMatch(/^FAIL: Schema failure: predictions skipped/);
	});
});

describe('driftwood sql and drift --summary', () => {
	it('summarises a batch in DuckDB and checks it from the summary as from its rows', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'driftwood-sql-'));
		const bundle = join(dir, 'cars.driftwood.zip');
		expect(
			(await trainLinearBundle('static/samples/cars.csv', 'Miles_per_Gallon', 5, bundle)).code
		).toBe(0);
		const predicted = join(dir, 'predicted.csv');
		expect(
			(await run('predict', '--bundle', bundle, 'static/samples/cars.csv', '--out', predicted)).code
		).toBe(0);
		const sql = await run(
			'sql',
			'--bundle',
			bundle,
			'--dialect',
			'duckdb',
			'--table',
			'cars',
			'--where',
			"Origin <> 'nowhere'",
			'--prediction',
			'pred',
			'--target',
			'Miles_per_Gallon'
		);
		expect(sql.code).toBe(0);
		expect(sql.stdout).toMatch(/^-- Driftwood drift summary of "cars" v1: \d+ features/);
		expect(sql.stdout).toContain("WHERE Origin <> 'nowhere'");
		// The warehouse: the batch with the predictions a scoring job wrote beside it.
		const { DuckDBInstance } = await import('@duckdb/node-api');
		const db = await DuckDBInstance.create(':memory:');
		const connection = await db.connect();
		await connection.run(
			`CREATE TABLE cars AS SELECT a.*, b.prediction AS pred FROM read_csv('static/samples/cars.csv') a POSITIONAL JOIN read_csv('${predicted}') b`
		);
		const summary = join(dir, 'summary.csv');
		await connection.run(`COPY (${sql.stdout.trim().replace(/;$/, '')}) TO '${summary}' (HEADER)`);
		connection.closeSync();
		const fromSummary = await run('drift', '--bundle', bundle, '--summary', summary, '--json');
		const fromRows = await run('drift', '--bundle', bundle, 'static/samples/cars.csv', '--json');
		expect(fromSummary.stderr).toBe('');
		expect(fromSummary.code).toBe(fromRows.code);
		const s = JSON.parse(fromSummary.stdout);
		const r = JSON.parse(fromRows.stdout);
		expect(s.dataset_drift).toBe(r.dataset_drift);
		expect(s.current_rows).toBe(r.current_rows);
		const rows = new Map(r.features.map((f: { name: string }) => [f.name, f]));
		expect(s.features.map((f: { name: string }) => f.name).sort()).toEqual([...rows.keys()].sort());
		expect(s.features.some((f: { bound: unknown }) => f.bound)).toBe(true);
		for (const f of s.features) {
			const raw = rows.get(f.name) as { psi: number; drifted: boolean; statistic: number };
			expect(f.psi, f.name).toBe(raw.psi);
			expect(f.drifted, f.name).toBe(raw.drifted);
			if (f.bound) {
				expect(raw.statistic).toBeGreaterThanOrEqual(f.bound.statistic[0] - 1e-12);
				expect(raw.statistic).toBeLessThanOrEqual(f.bound.statistic[1] + 1e-12);
			} else expect(f.statistic, f.name).toBe(raw.statistic);
		}
		expect(s.prediction_drift).toMatchObject({ drifted: false, psi: r.prediction_drift.psi });
		// The labels, counted in the target's training bins: as from the rows.
		expect(s.target_drift).toMatchObject({
			drifted: r.target_drift.drifted,
			psi: r.target_drift.psi
		});
		expect(r.target_drift.statistic).toBeGreaterThanOrEqual(
			s.target_drift.bound.statistic[0] - 1e-12
		);
		expect(r.target_drift.statistic).toBeLessThanOrEqual(s.target_drift.bound.statistic[1] + 1e-12);
		// Labels and predictions side by side: the score from the error's sums, as from the rows.
		expect(s.performance).toMatchObject({
			metric: 'r2',
			estimated: false,
			rows: r.performance.rows
		});
		expect(s.performance.value).toBeCloseTo(r.performance.value, 10);
		expect(s.performance.metrics.rmse).toBeCloseTo(r.performance.metrics.rmse, 10);
		// A summary of another model is refused by name.
		writeFileSync(join(dir, 'other.csv'), 'feature,bin,n\nrooms,value 3,10\n');
		const other = await run('drift', '--bundle', bundle, '--summary', join(dir, 'other.csv'));
		expect(other.code).toBe(1);
		expect(other.stderr).toMatch(/counts "rooms", which this model does not monitor/);
	});

	it('says what is wrong with its options', async () => {
		const usage = async (...argv: string[]) => {
			const r = await run(...argv);
			expect(r.code, argv.join(' ')).toBe(2);
			return r.stderr;
		};
		expect(await usage('sql', '--dialect', 'duckdb', '--table', 't')).toMatch(/sql needs --bundle/);
		expect(await usage('sql', '--bundle', 'm.zip', '--table', 't')).toMatch(
			/--dialect duckdb, postgres, spark, bigquery/
		);
		expect(await usage('sql', '--bundle', 'm.zip', '--dialect', 'oracle', '--table', 't')).toMatch(
			/--dialect/
		);
		expect(await usage('sql', '--bundle', 'm.zip', '--dialect', 'spark')).toMatch(/--table/);
		expect(
			await usage('sql', 'batch.csv', '--bundle', 'm.zip', '--dialect', 'spark', '--table', 't')
		).toMatch(/takes no file/);
		expect(await usage('drift', '--summary', 's.csv')).toMatch(/needs --bundle/);
		expect(await usage('drift', 'x.csv', '--where', 'a = 1')).toMatch(
			/--where is an option of sql/
		);
		expect(await usage('predict', '--bundle', 'm.zip', 'x.csv', '--summary', 's.csv')).toMatch(
			/--summary is an option of drift/
		);
	});
});

describe('missing tokens on the command line', () => {
	const dir = mkdtempSync(join(tmpdir(), 'driftwood-na-'));
	const csv = join(dir, 'incidents.csv');
	const lines = ['damage,cost,phase'];
	for (let i = 0; i < 400; i++) {
		const damage = i % 10 < 8 ? 'None' : i % 2 ? 'Minor' : 'Substantial';
		lines.push(
			`${damage},${i % 7 === 3 ? 'NA' : (i % 13) * 10 + (damage === 'None' ? 0 : 500)},${i % 3 ? 'Climb' : 'Landing'}`
		);
	}
	writeFileSync(csv, lines.join('\n'));

	it('profile says which tokens were read as missing and which kept, and --na / --keep-na change it', async () => {
		const plain = await run('profile', csv);
		expect(plain.stdout).toContain(
			'damage: kept as a value: "None" × 320 (80.0 %), a common answer in a column of words'
		);
		expect(plain.stdout).toContain(
			'cost: read as missing: "NA" × 57 (14.3 %), in a column of numbers'
		);
		const json = JSON.parse((await run('profile', csv, '--json', '--na', 'None')).stdout);
		expect(json.missingTokens).toContainEqual({
			column: 'damage',
			token: 'None',
			cells: 320,
			missing: true,
			reason: 'listed'
		});
		const kept = JSON.parse((await run('profile', csv, '--json', '--keep-na')).stdout);
		expect(kept.columns.find((c: { name: string }) => c.name === 'cost').type).not.toBe('numeric');
		expect((await run('profile', csv, '--na', 'None', '--keep-na')).code).toBe(2);
	});

	it('train counts and names the rows its target lost, and names the model auto chose', async () => {
		const kept = await run('train', csv, '--target', 'damage', '--model', 'linear');
		expect(kept.code).toBe(0);
		expect(kept.stdout).not.toContain('Left out');
		expect(kept.stdout).toContain('Model: linear.');
		const lost = await run(
			'train',
			csv,
			'--target',
			'damage',
			'--model',
			'linear',
			'--na',
			'None',
			'--json'
		);
		const json = JSON.parse(lost.stdout);
		expect(json.droppedTarget).toBe(320);
		const text = await run('train', csv, '--target', 'damage', '--model', 'linear', '--na', 'None');
		expect(text.stdout).toContain(
			'Left out 320 of 400 rows: their target "damage" is missing (of them "None" × 320).'
		);
	});
});

describe('hostile numbers and files', () => {
	it('refuses a target whose squares overflow, with exit 1 and a message, writing no bundle', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'driftwood-huge-'));
		const csv = join(dir, 'huge.csv');
		const lines = [
			'x,y',
			...Array.from({ length: 60 }, (_, i) => `${i},${i === 7 ? '1e308' : i * 2}`)
		];
		writeFileSync(csv, lines.join('\n'));
		const out = join(dir, 'huge.driftwood.zip');
		const { code, stderr } = await run(
			'train',
			csv,
			'--target',
			'y',
			'--model',
			'linear',
			'--out',
			out
		);
		expect(code).toBe(1);
		expect(stderr).toMatch(/holds values as large as 1\.00e\+308: their squares overflow/);
		expect(() => readFileSync(out)).toThrow();
	});
});

describe('hostile bundles on the command line', () => {
	it('onnx and predict refuse what import refuses, exit 1, one line each', async () => {
		const { trainPenguins } = await import('../../tests/unit/penguins-model');
		const { hostileBundles } = await import('../../tests/fixtures/hostile-bundles');
		const { result, manifest } = await trainPenguins(3);
		const hostile = await hostileBundles({
			manifest,
			model: result.artifacts.model,
			readme: '# test'
		});
		const dir = mkdtempSync(join(tmpdir(), 'driftwood-hostile-'));
		for (const [i, { name, bytes, refusal }] of hostile.entries()) {
			const path = join(dir, `h${i}.driftwood.zip`);
			writeFileSync(path, bytes);
			for (const argv of [
				['onnx', path, '--out', join(dir, `h${i}.onnx`)],
				['predict', '--bundle', path, 'static/samples/penguins.csv']
			]) {
				const { code, stderr } = await run(...argv);
				expect(code, `${argv[0]}: ${name}`).toBe(1);
				expect(stderr, name).toMatch(refusal);
				expect(stderr.trim().split('\n'), name).toHaveLength(1);
			}
		}
	}, 120_000);
});

describe('the driftwood command', () => {
	it('starts (from the build when it is fresh, else the source) and prints what main prints', async () => {
		const { execFileSync } = await import('node:child_process');
		const printed = execFileSync(process.execPath, ['src/runtime/bin.js', '--help'], {
			encoding: 'utf8'
		});
		let expected = '';
		await main(['--help'], { write: (t: string) => (expected += t) }, { write: () => 0 });
		expect(printed).toBe(expected);
		expect(printed).toContain('Usage: driftwood');
	});
});

describe('driftwood backtest', () => {
	const weather = 'node_modules/vega-datasets/data/seattle-weather.csv';

	it('prints periods, origins and the decay curve as JSON, each score beside its baseline', async () => {
		const { code, stdout, stderr } = await run(
			'backtest',
			weather,
			'--target',
			'weather',
			'--period',
			'year',
			'--json'
		);
		expect(code, stderr).toBe(0);
		const json = JSON.parse(stdout);
		expect(json.time_column).toBe('date');
		expect(json.periods.map((p: { start: string }) => p.start.slice(0, 4))).toEqual([
			'2012',
			'2013',
			'2014',
			'2015'
		]);
		expect(json.origins).toHaveLength(3);
		expect(json.origins[0].scores.map((s: { age: number }) => s.age)).toEqual([1, 2, 3]);
		expect(json.decay.map((d: { origins: number }) => d.origins)).toEqual([3, 2, 1]);
		for (const o of json.origins)
			for (const s of o.scores) expect(s.value).toBeGreaterThan(s.baseline);
	}, 60_000);

	it('says what a backtest needs: a date column, or periods of rows; three periods at least', async () => {
		const noDate = await run('backtest', 'static/samples/penguins.csv', '--target', 'Species');
		expect(noDate.code).toBe(1);
		expect(noDate.stderr).toMatch(/no date column .* --period <N>rows/);
		const few = await run('backtest', weather, '--target', 'weather', '--period', '1000rows');
		expect(few.code).toBe(1);
		expect(few.stderr).toMatch(/Only 2 periods hold rows/);
		const usage = await run('backtest', weather, '--target', 'weather', '--horizon', '0');
		expect(usage.code).toBe(2);
		const period = await run('backtest', weather, '--target', 'weather', '--period', 'fortnight');
		expect(period.code).toBe(2);
		expect(period.stderr).toMatch(
			/--period takes year, quarter, month, week, day or a number of rows/
		);
	});
});

describe('driftwood compare', () => {
	it('exits 0 only when the challenger is better beyond noise, and refuses bundles of another target', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'driftwood-compare-'));
		const csv = 'static/samples/penguins.csv';
		const weak = join(dir, 'weak.zip');
		const strong = join(dir, 'strong.zip');
		const island = join(dir, 'island.zip');
		expect((await trainLinearBundle(csv, 'Species', 1, weak)).code).toBe(0);
		expect((await trainLinearBundle(csv, 'Species', 100, strong)).code).toBe(0);
		expect((await trainLinearBundle(csv, 'Island', 20, island)).code).toBe(0);
		const same = await run('compare', strong, strong, csv, '--json');
		expect(same.code).toBe(1);
		expect(JSON.parse(same.stdout)).toMatchObject({
			verdict: 'no-difference',
			better: false,
			difference: 0
		});
		const better = await run('compare', weak, strong, csv, '--json');
		const json = JSON.parse(better.stdout);
		expect(json.challenger.value).toBeGreaterThan(json.champion.value);
		expect(json.interval[0]).toBeGreaterThan(0);
		expect(better.code).toBe(0);
		const other = await run('compare', strong, island, csv);
		expect(other.code).toBe(1);
		expect(other.stderr).toMatch(/predict different things/);
		expect((await run('compare', strong, csv)).code).toBe(2);
	}, 60_000);
});

describe('driftwood policy', () => {
	it('replays the retraining policies and names the recommended one, in the issue’s JSON shape', async () => {
		const { code, stdout, stderr } = await run(
			'policy',
			'node_modules/vega-datasets/data/seattle-weather.csv',
			'--target',
			'weather',
			'--period',
			'quarter',
			'--json'
		);
		expect(code, stderr).toBe(0);
		const json = JSON.parse(stdout);
		const names = json.policies.map((p: { name: string }) => p.name);
		expect(names).toContain('never');
		expect(names).toContain('on drift');
		expect(names).toContain('every period, recency-weighted');
		expect(names).toContain(json.recommended);
		for (const p of json.policies) {
			expect(p.scores.length).toBe(json.policies[0].scores.length);
			expect(p.worst).toBeLessThanOrEqual(p.mean);
			expect(p.retrains).toBe(
				p.scores.filter((s: { retrained_after: boolean }) => s.retrained_after).length
			);
		}
		expect(json.policies.find((p: { name: string }) => p.name === 'never').retrains).toBe(0);
	}, 60_000);
});

describe('driftwood retrain', () => {
	const weather = 'node_modules/vega-datasets/data/seattle-weather.csv';
	const lines = readFileSync(weather, 'utf8').trim().split('\n');
	const dir = mkdtempSync(join(tmpdir(), 'driftwood-retrain-'));
	const file = (name: string, rows: string[], header = lines[0]!) => {
		const path = join(dir, name);
		writeFileSync(path, [header, ...rows].join('\n') + '\n');
		return path;
	};
	// 2012–2014 trains the champion; 2015 is what arrives later.
	const old = file(
		'old.csv',
		lines.slice(1).filter((l) => l < '2015')
	);
	const recent = file(
		'recent.csv',
		lines.slice(1).filter((l) => l >= '2015')
	);
	const champion = join(dir, 'weather.driftwood.zip');

	it('replays the champion’s recipe and spec on new files, in a window, as its next version', async () => {
		const trained = await run(
			'train',
			old,
			'--target',
			'weather',
			'--model',
			'gbdt',
			'--out',
			champion
		);
		expect(trained.code, trained.stderr).toBe(0);
		const challenger = join(dir, 'challenger.zip');
		const { code, stdout, stderr } = await run(
			'retrain',
			'--bundle',
			champion,
			old,
			recent,
			'--window',
			'2years',
			'--out',
			challenger,
			'--json'
		);
		expect(code, stderr).toBe(0);
		const json = JSON.parse(stdout);
		expect(json.champion).toMatchObject({ name: 'weather', version: 1, family: 'gbdt' });
		expect(json.challenger).toMatchObject({ name: 'weather', version: 2, family: 'gbdt' });
		expect(json.challenger.test).toBeGreaterThan(json.challenger.baseline);
		// The window, counted here from the file: the dates after two years before the newest.
		const dates = lines.slice(1).map((l) => Date.parse(l.slice(0, 10)));
		const newest = Math.max(...dates);
		const inWindow = dates.filter((d) => d > newest - 2 * 365.25 * 86_400_000).length;
		expect(json.window).toMatchObject({ kept: inWindow, of: lines.length - 1, undated: 0 });
		expect(json.trained.final_refit.rows).toBe(inWindow);
		// The challenger records the same settings, so that it can be retrained in turn.
		const manifestOf = (zip: string) =>
			JSON.parse(new TextDecoder().decode(unzipSync(readFileSync(zip))['manifest.json']!));
		const [a, b] = [manifestOf(champion), manifestOf(challenger)];
		expect(b.training).toEqual(a.training);
		expect(b.training.model.kind).toBe('gbdt');
		expect(b.reference.rows).toBe(inWindow);
		expect(b.lineage.datasetName).toBe('old.csv + recent.csv');
		const again = await run(
			'retrain',
			'--bundle',
			challenger,
			old,
			recent,
			'--out',
			join(dir, 'v3.zip')
		);
		expect(again.code, again.stderr).toBe(0);
		expect(again.stdout).toMatch(/Challenger v3: test accuracy/);
		// compare reads both: the verdict is an exit code either way, never an error.
		const compared = await run('compare', champion, challenger, recent, '--json');
		expect([0, 1]).toContain(compared.code);
	}, 90_000);

	it('refuses, before training, files lacking a model column, other classes, old bundles and bad usage', async () => {
		const header = lines[0]!.split(',');
		const noTarget = file(
			'no-target.csv',
			lines.slice(1, 50).map((l) => l.split(',').slice(0, -1).join(',')),
			header.slice(0, -1).join(',')
		);
		const out = join(dir, 'never.zip');
		const lacking = await run('retrain', '--bundle', champion, noTarget, '--out', out);
		expect(lacking.code).toBe(1);
		expect(lacking.stderr).toMatch(/"no-target.csv" lacks the column "weather"/);
		const noSnow = file(
			'no-snow.csv',
			lines.slice(1).filter((l) => !l.endsWith(',snow'))
		);
		const classes = await run('retrain', '--bundle', champion, noSnow, '--out', out);
		expect(classes.code).toBe(1);
		expect(classes.stderr).toMatch(/classes differ from the champion's \(absent: snow\)/);
		expect(() => readFileSync(out)).toThrow();
		// A bundle made before bundles recorded their training settings.
		const files = unzipSync(readFileSync(champion));
		const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json']!));
		delete manifest.training;
		const older = join(dir, 'older.zip');
		writeFileSync(
			older,
			zipSync({ ...files, 'manifest.json': new TextEncoder().encode(JSON.stringify(manifest)) })
		);
		const old_ = await run('retrain', '--bundle', older, recent, '--out', out);
		expect(old_.code).toBe(1);
		expect(old_.stderr).toMatch(/does not record how its model was trained/);
		expect((await run('retrain', '--bundle', champion, recent)).code).toBe(2);
		expect((await run('retrain', recent, '--out', out)).code).toBe(2);
		const window = await run(
			'retrain',
			'--bundle',
			champion,
			recent,
			'--out',
			out,
			'--window',
			'3'
		);
		expect(window.code).toBe(2);
		expect(window.stderr).toMatch(/--window takes a number of rows or a span of time/);
		expect((await run('train', old, '--target', 'weather', '--window', '5rows')).code).toBe(2);
	}, 60_000);
});

describe('driftwood audit', () => {
	it('prints the audit in the issue’s JSON shape, 1-based rows, repeated test rows and a CSV of flags', async () => {
		const csv = 'tests/fixtures/data/audit-uniform.csv';
		const lines = readFileSync(csv, 'utf8').trim().split('\n');
		const dir = mkdtempSync(join(tmpdir(), 'driftwood-audit-'));
		// A test file: two rows of the training file (data rows 3 and 8) and one new row.
		const test = join(dir, 'test.csv');
		writeFileSync(
			test,
			[lines[0], lines[3], lines[8], lines[1]!.replace(/^[^,]+/, '9.99')].join('\n')
		);
		const out = join(dir, 'flagged.csv');
		const { code, stdout, stderr } = await run(
			'audit',
			csv,
			'--target',
			'label',
			'--test',
			test,
			'--out',
			out,
			'--json'
		);
		expect(code, stderr).toBe(0);
		const json = JSON.parse(stdout);
		expect(Object.keys(json)).toEqual(
			expect.arrayContaining([
				'rows',
				'label_issues',
				'noise_matrix',
				'outliers',
				'duplicates',
				'leakage'
			])
		);
		expect(json.rows).toBe(lines.length - 1);
		expect(json.models).toEqual(['gbdt', 'mlp']);
		const issue = json.label_issues[0];
		expect(Object.keys(issue)).toEqual(
			expect.arrayContaining(['row', 'given', 'suggested', 'score'])
		);
		// `row` is the file's 1-based data row: its label there is the given one.
		expect(lines[issue.row]!.split(',').at(-1)).toBe(issue.given);
		expect(json.leakage.map((l: { column: string }) => l.column)).toEqual(['audit_code']);
		expect(json.duplicates).toContainEqual({ rows: [11, 3001], kind: 'exact', conflicting: true });
		expect(json.repeated_in_test).toEqual([
			{ test: 1, train: 3 },
			{ test: 2, train: 8 }
		]);
		const flagged = readFileSync(out, 'utf8').trim().split('\n');
		expect(flagged[0]).toBe(
			'row,issue,suggested,score,reason,x0,x1,x2,x3,x4,shop,audit_code,label'
		);
		expect(flagged.length).toBeGreaterThan(json.label_issues.length);
		const bad = await run('audit', csv);
		expect(bad.code).toBe(2);
		const one = await run(
			'audit',
			'static/samples/penguins.csv',
			'--target',
			'Island',
			'--seed',
			'x'
		);
		expect(one.code).toBe(2);
		// --network off: the trees alone judge, even below the size where a network joins them.
		const trees = await run(
			'audit',
			'static/samples/penguins.csv',
			'--target',
			'Species',
			'--network',
			'off',
			'--json'
		);
		expect(trees.code, trees.stderr).toBe(0);
		expect(JSON.parse(trees.stdout).models).toEqual(['gbdt']);
		const maybe = await run('audit', csv, '--target', 'label', '--network', 'maybe');
		expect(maybe.code).toBe(2);
		expect(maybe.stderr).toMatch(/--network takes on or off \(got "maybe"\)/);
		// The help names the size the audit uses.
		const help = await run('--help');
		expect(help.stdout).toContain(`${AUDIT_NETWORK_MAX_ROWS.toLocaleString('en-US')} rows`);
	}, 60_000);
});

describe('driftwood explain', () => {
	it('gives each row’s exact contributions per input column, adding up to what predict says', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'driftwood-cli-'));
		const bundle = join(dir, 'penguins.driftwood.zip');
		const file = 'static/samples/penguins.csv';
		const trained = await run(
			'train',
			file,
			'--target',
			'Species',
			'--model',
			'gbdt',
			'--out',
			bundle
		);
		expect(trained.code, trained.stderr).toBe(0);
		const explained = await run('explain', '--bundle', bundle, file, '--json');
		expect(explained.code, explained.stderr).toBe(0);
		const json = JSON.parse(explained.stdout) as {
			outputs: string[];
			rows: {
				row: number;
				output: number[];
				base: number[];
				contributions: Record<string, number[]>;
			}[];
		};
		expect(json.outputs).toEqual([
			'raw score of Adelie',
			'raw score of Chinstrap',
			'raw score of Gentoo'
		]);
		expect(json.rows).toHaveLength(344);
		// One entry per input column (the recipe's derived features summed back), none for the target.
		expect(Object.keys(json.rows[0]!.contributions).sort()).toEqual(
			[
				'Beak Depth (mm)',
				'Beak Length (mm)',
				'Body Mass (g)',
				'Flipper Length (mm)',
				'Island',
				'Sex'
			].sort()
		);
		const predicted = await run('predict', '--bundle', bundle, file);
		const lines = predicted.stdout.trim().split('\n').slice(1);
		json.rows.forEach((r, i) => {
			r.output.forEach((o, k) => {
				const sum = Object.values(r.contributions).reduce((s, c) => s + c[k]!, r.base[k]!);
				expect(Math.abs(sum - o)).toBeLessThan(1e-9);
			});
			// The softmax of the explained raw scores is the predicted probabilities.
			const e = r.output.map((v) => Math.exp(v));
			const p = e.map((v) => v / e.reduce((a, b) => a + b, 0));
			const cells = lines[i]!.split(',').slice(-3).map(Number);
			p.forEach((v, k) => expect(v).toBeCloseTo(cells[k]!, 5));
		});
		// A linear model: exact values against its reference rows. Two rows that differ in one
		// column differ in that column's contribution only.
		const linear = join(dir, 'linear.driftwood.zip');
		await trainLinearBundle(file, 'Species', 30, linear);
		const { loadBundle } = await import('./index');
		const model = await loadBundle(readFileSync(linear));
		const row = {
			Island: 'Dream',
			'Beak Length (mm)': 45,
			'Beak Depth (mm)': 17,
			'Flipper Length (mm)': 200,
			'Body Mass (g)': 4000,
			Sex: 'FEMALE'
		};
		const pair = await model.explain([row, { ...row, 'Beak Length (mm)': 50 }]);
		expect(pair.estimated).toBe(false);
		expect(pair.method).toMatch(/^exact: a linear model/);
		for (const [column, values] of Object.entries(pair.rows[0]!.contributions))
			values.forEach((v, k) => {
				const other = pair.rows[1]!.contributions[column]![k]!;
				if (column === 'Beak Length (mm)') expect(Math.abs(v - other)).toBeGreaterThan(1e-3);
				else expect(other).toBeCloseTo(v, 12);
			});
		// The MLP the automatic choice trains: an estimate, each value with its standard error.
		const mlp = join(dir, 'mlp.driftwood.zip');
		const trainedMlp = await run(
			'train',
			file,
			'--target',
			'Species',
			'--model',
			'mlp',
			'--epochs',
			'20',
			'--out',
			mlp
		);
		expect(trainedMlp.code, trainedMlp.stderr).toBe(0);
		const estimated = await run('explain', '--bundle', mlp, file, '--json');
		expect(estimated.code, estimated.stderr).toBe(0);
		const est = JSON.parse(estimated.stdout);
		expect(est.estimated).toBe(true);
		expect(est.rows[0].errors['Beak Length (mm)']).toHaveLength(3);
		for (const r of est.rows)
			r.output.forEach((o: number, k: number) => {
				const sum = Object.values(r.contributions as Record<string, number[]>).reduce(
					(s, c) => s + c[k]!,
					r.base[k]
				);
				expect(Math.abs(sum - o)).toBeLessThan(1e-9);
			});
	});
});
