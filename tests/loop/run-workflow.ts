/**
 * Runs the GitHub Actions workflow of docs/retraining-in-ci.md as GitHub would, on generated data,
 * so that the documented loop cannot rot: every `run:` step in order with `bash -eo pipefail`, its
 * `if:` and `$GITHUB_OUTPUT`; `uses:` steps and the install are GitHub's part and are skipped (the
 * upload's paths must exist). Three weeks are run and their outcomes asserted:
 *   - a batch from the champion's world: the gate stays shut, nothing is retrained;
 *   - a batch after a change of concept: the gate opens, the challenger wins and is published;
 *   - a batch file that is not there: the job fails at the gate (never "drifted").
 * Usage: node --import tsx tests/loop/run-workflow.ts
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { seededRandom } from '../../src/lib/core/stats/random';

const ROOT = resolve(import.meta.dirname, '../..');
const DOC = join(ROOT, 'docs/retraining-in-ci.md');
const CLI = `node ${join(ROOT, 'src/runtime/bin.js')}`;

interface Step {
	name?: string;
	id?: string;
	if?: string;
	run?: string;
	uses?: string;
	with?: Record<string, string>;
}
interface Workflow {
	on: { schedule?: { cron: string }[] };
	env: Record<string, string>;
	jobs: Record<string, { steps: Step[] }>;
}

/** The one ```yaml block of the doc, parsed. */
function workflowOf(path: string): Workflow {
	const blocks = [...readFileSync(path, 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)];
	if (blocks.length !== 1) throw new Error(`${path} must hold exactly one yaml block`);
	const workflow = parse(blocks[0]![1]!) as Workflow;
	if (!workflow.on?.schedule?.length) throw new Error('The workflow must run on a schedule.');
	return workflow;
}

/** `steps.<id>.outputs.<name> == '<value>'` (joined by &&): the only conditions this runner reads. */
function condition(
	text: string | undefined,
	outputs: Map<string, Record<string, string>>
): boolean {
	if (text === undefined) return true;
	return text.split('&&').every((part) => {
		const m = /^\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*==\s*'([^']*)'\s*$/.exec(part);
		if (!m) throw new Error(`This runner cannot evaluate "if: ${text}": extend it, or simplify.`);
		return outputs.get(m[1]!)?.[m[2]!] === m[3];
	});
}

interface JobResult {
	ok: boolean;
	ran: string[];
	outputs: Map<string, Record<string, string>>;
	published: string[];
}

function runJob(workflow: Workflow, env: Record<string, string>, dir: string): JobResult {
	const missing = Object.keys(workflow.env).filter((k) => !(k in env));
	if (missing.length) throw new Error(`No test value for the workflow's ${missing.join(', ')}.`);
	const outputs = new Map<string, Record<string, string>>();
	const ran: string[] = [];
	const published: string[] = [];
	const [job] = Object.values(workflow.jobs);
	for (const [index, step] of job!.steps.entries()) {
		const label = step.name ?? step.uses ?? `step ${index + 1}`;
		if (!condition(step.if, outputs)) continue;
		if (step.uses) {
			if (step.uses.startsWith('actions/upload-artifact')) {
				const paths = (step.with?.path ?? '').split('\n').filter((p) => p.trim());
				for (const p of paths)
					if (!existsSync(join(dir, p.trim())))
						throw new Error(`"${label}" would upload ${p.trim()}, which no step wrote.`);
				published.push(...paths.map((p) => p.trim()));
			}
			continue;
		}
		if (step.id === 'install') continue;
		const outputFile = join(dir, `output-${index}`);
		writeFileSync(outputFile, '');
		const script = join(dir, `step-${index}.sh`);
		writeFileSync(script, step.run ?? '');
		console.log(`  ▸ ${label}`);
		const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
			cwd: dir,
			env: { ...process.env, ...env, GITHUB_OUTPUT: outputFile },
			encoding: 'utf8'
		});
		ran.push(step.id ?? label);
		const text = `${result.stdout}${result.stderr}`.trim();
		if (text) console.log(text.replace(/^/gm, '      '));
		if (step.id) {
			const values = Object.fromEntries(
				readFileSync(outputFile, 'utf8')
					.split('\n')
					.filter((l) => l.includes('='))
					.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])
			);
			outputs.set(step.id, values);
		}
		if (result.status !== 0) return { ok: false, ran, outputs, published };
	}
	return { ok: true, ran, outputs, published };
}

/**
 * Three years of daily orders, 6 a day. Until month 20 a customer churns when `usage` is low;
 * from then on the product changed: `usage` moved up and churn follows `price` instead.
 */
function history(): { header: string; rows: { month: number; line: string }[] } {
	const next = seededRandom(7);
	const gauss = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
	const rows: { month: number; line: string }[] = [];
	const start = Date.UTC(2023, 0, 1);
	for (let day = 0; day < 3 * 365; day++) {
		const date = new Date(start + day * 86_400_000);
		const month = (date.getUTCFullYear() - 2023) * 12 + date.getUTCMonth();
		const changed = month >= 20;
		for (let k = 0; k < 6; k++) {
			const usage = gauss() + (changed ? 1.5 : 0);
			const price = gauss();
			const plan = ['basic', 'pro', 'team'][Math.floor(next() * 3)]!;
			const signal = changed ? 1.5 * price : -1.5 * (usage - (changed ? 1.5 : 0));
			const churned = signal + 0.6 * gauss() > 0 ? 'yes' : 'no';
			const line = `${date.toISOString().slice(0, 10)},${usage.toFixed(3)},${price.toFixed(3)},${plan},${churned}`;
			rows.push({ month, line });
		}
	}
	return { header: 'date,usage,price,plan,churned', rows };
}

function main(): void {
	const workflow = workflowOf(DOC);
	const data = history();
	const base = mkdtempSync(join(tmpdir(), 'driftwood-loop-'));
	const write = (name: string, keep: (month: number) => boolean) => {
		const path = join(base, name);
		const lines = data.rows.filter((r) => keep(r.month)).map((r) => r.line);
		writeFileSync(path, [data.header, ...lines].join('\n') + '\n');
		return path;
	};
	const failures: string[] = [];
	try {
		// The champion: trained on the first 16 months, as the repository would hold it.
		const first = write('first.csv', (m) => m < 16);
		const champion = join(base, 'champion.driftwood.zip');
		const trained = spawnSync(
			'bash',
			['-c', `${CLI} train "${first}" --target churned --model gbdt --out "${champion}"`],
			{ encoding: 'utf8' }
		);
		if (trained.status !== 0) throw new Error(`The champion did not train: ${trained.stderr}`);
		const weeks: {
			name: string;
			files: Record<'HISTORY' | 'BATCH' | 'HOLDOUT', string>;
			expect: (r: JobResult) => string | null;
		}[] = [
			{
				name: 'a batch from the champion’s world',
				files: {
					HISTORY: write('h1.csv', (m) => m < 18),
					BATCH: write('b1.csv', (m) => m >= 16 && m < 18),
					HOLDOUT: write('o1.csv', (m) => m >= 18 && m < 20)
				},
				expect: (r) =>
					!r.ok
						? 'the job failed'
						: r.outputs.get('drift')?.drifted !== 'false'
							? 'the gate opened on a batch without drift'
							: r.ran.includes('compare') || r.published.length
								? 'it retrained without drift'
								: null
			},
			{
				name: 'a batch after the change of concept',
				files: {
					HISTORY: write('h2.csv', (m) => m < 33),
					BATCH: write('b2.csv', (m) => m >= 31 && m < 33),
					HOLDOUT: write('o2.csv', (m) => m >= 33)
				},
				expect: (r) =>
					!r.ok
						? 'the job failed'
						: r.outputs.get('drift')?.drifted !== 'true'
							? 'the gate stayed shut after the change'
							: r.outputs.get('compare')?.better !== 'true'
								? 'the challenger did not win'
								: !r.published.includes('challenger.driftwood.zip')
									? 'the winner was not published'
									: null
			},
			{
				name: 'a batch file that is not there',
				files: {
					HISTORY: write('h3.csv', (m) => m < 18),
					BATCH: join(base, 'no-such-batch.csv'),
					HOLDOUT: write('o3.csv', (m) => m >= 18 && m < 20)
				},
				expect: (r) =>
					r.ok
						? 'the job succeeded without reading the batch'
						: r.ran.length !== 1
							? 'it went on past the gate'
							: null
			}
		];
		for (const [i, week] of weeks.entries()) {
			console.log(`Week ${i + 1}: ${week.name}`);
			const dir = mkdtempSync(join(base, `week-${i + 1}-`));
			const result = runJob(workflow, { DRIFTWOOD: CLI, CHAMPION: champion, ...week.files }, dir);
			const problem = week.expect(result);
			console.log(problem ? `  ✗ ${problem}` : '  ✓ as expected');
			if (problem) failures.push(`Week ${i + 1} (${week.name}): ${problem}`);
		}
	} finally {
		rmSync(base, { recursive: true, force: true });
	}
	if (failures.length) {
		console.error(`The documented workflow misbehaved:\n${failures.join('\n')}`);
		process.exit(1);
	}
	console.log('The documented workflow runs as documented.');
}

main();
