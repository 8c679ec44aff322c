import { calibrationText } from '../calibration/words';
import { calibratedOn, coverageText, NOT_EXCHANGEABLE, percentText } from '../conformal/words';
import { formatDateTime } from '../table/datetime';
import type { ModelDescription } from '../model/family';
import type { Manifest } from './manifest';
import { onnxContract, ONNX_ML_OPSET, ONNX_OPSET, type OnnxTensor } from './onnx-contract';

/** Extra facts for the card that the manifest does not hold. */
export interface CardNotes {
	intendedUse: string;
	limitations: string;
	robustness: { kind: string; level: number; metric: string; value: number }[];
	importance: { column: string; drop: number; std?: number }[];
	rows: { train: number; validation: number; test: number };
	/** The refit on training + validation rows, when there was one. */
	refit?: { rows: number; steps: number } | null;
	/** The deployed model's fit on every row after the test, when there was one. */
	finalRefit?: { rows: number; steps: number } | null;
	/** The model in words, from its family (absent: the card names only the family). */
	model?: ModelDescription;
	/** The audit that preceded training, in words, when the data was saved from one. */
	audit?: string | null;
	/** The card's title instead of "<name> — version <n>" (a run's, before it is registered). */
	title?: string;
}

/**
 * The model card as Markdown: what the model does, on what data, how well (beside the baseline),
 * how it holds up under noise, what matters most, and what it is for. Written into the bundle as
 * README.md; shown in the studio as text.
 */
export function renderModelCard(manifest: Omit<Manifest, 'files'>, notes: CardNotes): string {
	const m = manifest.model;
	const metrics = Object.keys(manifest.metrics.test);
	const show = (v: number | null | undefined) =>
		v === null || v === undefined ? '—' : v.toFixed(4);
	// An ensemble's members train fixed steps each; its trees read missing values, the others
	// see the recipe's fills.
	const ensemble = m.family === 'ensemble';
	const steps = (n: number) =>
		ensemble ? 'each member the steps its folds chose' : `${n} epochs / iterations`;
	const kept = (fill: string) =>
		ensemble
			? `the trees read it as missing; the other members see it filled with ${fill}`
			: 'missing stays missing (the trees learn where it goes)';
	const lines = [
		`# ${notes.title !== undefined ? md(notes.title) : `${md(m.name)} — version ${m.version}`}`,
		'',
		`A ${m.task === 'regression' ? 'regression' : `${m.task} classification`} model predicting **${md(m.target)}**${m.labels.length ? ` (classes: ${m.labels.map(md).join(', ')})` : ''}, trained in Driftwood.`,
		'',
		'## Model',
		'',
		`- ${notes.model ? `${notes.model.summary}; ${notes.model.parameters.toLocaleString('en-US')} trained parameters` : `Family: ${m.family}`}`,
		'',
		'## Training data',
		'',
		`- Dataset: ${md(manifest.lineage.datasetName)}, version ${manifest.lineage.datasetVersion} (content id \`${manifest.lineage.tableId.slice(0, 16)}…\`)`,
		`- Rows: ${notes.rows.train} train / ${notes.rows.validation} validation / ${notes.rows.test} test`,
		...(notes.audit ? [`- ${md(notes.audit)}`] : []),
		...(notes.refit
			? [
					`- Refitted on the ${notes.refit.rows.toLocaleString('en-US')} training + validation rows (${steps(notes.refit.steps)}${ensemble ? '' : ', as validation chose'}) before the test rows scored it`
				]
			: []),
		...(notes.finalRefit
			? [
					`- **The test metrics below were measured on the model fitted without the test rows; this deployed model was then refitted on all ${notes.finalRefit.rows.toLocaleString('en-US')} rows** (train + validation + test, ${steps(notes.finalRefit.steps)})`
				]
			: []),
		`- Trained: ${md(manifest.lineage.trainedAt)} (run ${code(manifest.lineage.runId)})`,
		'',
		'## Inputs',
		'',
		...manifest.schema.map(
			(c) =>
				`- ${code(c.name)} — ${c.type}${c.categories ? `, one of ${c.categories.length} known values` : ''}${c.range ? `, trained on ${rangeText(c.range, c.type)}` : ''}`
		),
		'',
		'## Preprocessing',
		'',
		...manifest.recipe.steps.map((s) =>
			s.kind === 'numeric'
				? `- ${code(s.column)}: ${s.numeric.keepMissing ? kept(round(s.numeric.fill)) : `fill missing with ${round(s.numeric.fill)}`}${s.numeric.clipLower !== null ? `, clip to [${round(s.numeric.clipLower)}, ${round(s.numeric.clipUpper ?? NaN)}]` : ''}, scale (x − ${round(s.numeric.center)}) / ${round(s.numeric.scale)}${s.numeric.indicator ? ', plus a missing flag' : ''}`
				: s.kind === 'categorical'
					? `- ${code(s.column)}: ${s.encode === 'onehot' ? 'one-hot' : 'ordinal'} over ${s.categories.length} categories${s.other ? ' + "other"' : ''}, missing → ${s.keepMissing ? kept(s.fill === null ? '"other"' : md(s.fill)) : s.fill === null ? '"other"' : md(s.fill)}`
					: `- ${code(s.column)}: date parts ${s.parts.map((p) => p.part).join(', ')}`
		),
		'',
		'## Test metrics (held-out rows)',
		'',
		'| metric | model | baseline |',
		'|---|---|---|',
		...metrics.map(
			(k) => `| ${k} | ${show(manifest.metrics.test[k])} | ${show(manifest.metrics.baseline[k])} |`
		),
		''
	];
	if (manifest.probabilityCalibration)
		lines.push(calibrationText(manifest.probabilityCalibration), '');
	if (notes.robustness.length) {
		lines.push(
			'## Robustness',
			'',
			'| perturbation | level | ' + notes.robustness[0]!.metric + ' |',
			'|---|---|---|'
		);
		lines.push(
			...notes.robustness.map((r) => `| ${r.kind} | ${r.level} | ${r.value.toFixed(4)} |`),
			''
		);
	}
	if (notes.importance.length) {
		lines.push('## Most important inputs (permutation importance on test)', '');
		lines.push(
			...notes.importance
				.slice(0, 10)
				.map(
					(i) =>
						`- ${code(i.column)}: ${i.drop.toFixed(4)}${i.std !== undefined ? ` ± ${i.std.toFixed(4)}` : ''}`
				),
			''
		);
	}
	if (manifest.conformal) {
		const { calibration, test, exchangeable } = manifest.conformal;
		lines.push(
			'## Bounds (split-conformal)',
			'',
			`${calibration.kind === 'interval' ? 'Prediction intervals' : 'Prediction sets (adaptive)'} at any level up to ${percentText(Math.floor((calibration.rows / (calibration.rows + 1)) * 1000) / 1000)} (what ${calibration.rows.toLocaleString('en-US')} held-out rows support), calibrated on ${calibratedOn(manifest.conformal)}.`,
			'',
			test
				? `- ${coverageText(test, calibration.kind)}`
				: '- Too few held-out rows for a 90 % bound.',
			...(exchangeable ? [] : [`- ${NOT_EXCHANGEABLE}`]),
			''
		);
	}
	const io = onnxContract(manifest);
	const tensor = (t: OnnxTensor, role = '') =>
		`| ${code(t.name, true)}${role} | ${t.type} | [${t.shape.join(', ')}] | ${md(t.meaning)} |`;
	lines.push(
		'## Serving as ONNX',
		'',
		`\`model.onnx\` in the bundle (or \`driftwood onnx <bundle>\`) is this model with its preprocessing: ONNX Runtime, Triton or Spark run it on the raw columns (opset ${ONNX_OPSET}, ai.onnx.ml ${ONNX_ML_OPSET}).`,
		'',
		'| tensor | type | shape | holds |',
		'|---|---|---|---|',
		...io.inputs.map((t) => tensor(t)),
		...io.outputs.map((t) => tensor(t, ' (output)')),
		'',
		...(manifest.conformal
			? [
					'The ONNX graph does not carry the conformal bounds: the Driftwood runtime (`predict(rows, { level: 0.9 })`) and `driftwood predict --interval 0.9` add them, from the scores in `manifest.json` (`conformal`).',
					''
				]
			: [])
	);
	lines.push(
		'## Intended use',
		'',
		html(notes.intendedUse) || '_Not written yet._',
		'',
		'## Limitations',
		'',
		html(notes.limitations) || '_Not written yet._',
		''
	);
	return lines.join('\n');
}

/**
 * Text from data or a user (a name, a label, a category) as plain Markdown on one line: a newline
 * in a column name must not open a `## Intended use` of its own, and markup is text, never HTML.
 * Markdown's specials are backslash-escaped and `<`, `>`, `&` written as entities.
 */
export function md(text: string): string {
	return html(text.replace(/[\r\n\t]+/g, ' ').replace(/[\\`*_[\]#|!]/g, '\\$&'));
}

/** A name in a code span on one line; a name with a backtick (which would end the span) as text. */
function code(text: string, inTable = false): string {
	const line = text.replace(/[\r\n\t]+/g, ' ');
	// A pipe would split a table cell even inside a code span.
	return line.includes('`') || (inTable && line.includes('|')) ? md(line) : `\`${line}\``;
}

/** A person's own Markdown (intended use, limitations), with raw HTML written as text. */
function html(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function round(v: number): string {
	return Number.isFinite(v) ? String(Number(v.toPrecision(5))) : String(v);
}

/** A training range as the card prints it: dates for a datetime input. */
function rangeText([lo, hi]: [number, number], type: string): string {
	return type === 'datetime' ? `${formatDateTime(lo)} … ${formatDateTime(hi)}` : `${lo} … ${hi}`;
}
