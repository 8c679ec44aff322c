/**
 * Label issues by confident learning (Northcutt, Jiang & Chuang, JAIR 2021), written from the
 * paper: per-class confidence thresholds on out-of-fold probabilities, the confident joint of
 * given and likely-true labels calibrated to the class counts (the estimated noise matrix), and
 * two ways to judge a row from them:
 *
 * - `prune`, for probabilities of models that learned from the labels as given: pruning of the
 *   rows the noise rates say are wrong, intersected with pruning by class (cleanlab's "both").
 *   The audit's first round uses it to choose the rows its second round leaves out; it finds most
 *   wrong labels and, on classes that overlap, many right ones (precision 0.70 on one such table).
 * - `posterior`, for probabilities of models refitted without those rows, which estimate the
 *   true class rather than the labels as given: each row's probability that its label is wrong,
 *   by Bayes' rule with the noise matrix's rates (below), flagged when more likely wrong than right.
 */

/** One row whose given label the out-of-fold probabilities doubt. */
export interface LabelIssue {
	/** Index into the rows audited (their order in `given`). */
	index: number;
	given: number;
	/** The likeliest other class. */
	suggested: number;
	/**
	 * How doubtful, 0–1: the estimated probability that the given label is wrong (`posterior`);
	 * `prune`: 1 − the out-of-fold probability of the given label.
	 */
	score: number;
}

export interface LabelAudit {
	issues: LabelIssue[];
	/**
	 * The calibrated confident joint in rows: `[given][likely true]`, each row summing to the
	 * rows given that label; off the diagonal, the rows estimated to carry a wrong label.
	 */
	noiseMatrix: number[][];
	/** Per class, the mean probability its own rows get: the confidence threshold. */
	thresholds: number[];
}

/** How `findLabelIssues` judges a row (see the module's comment). */
export type LabelRule = 'prune' | 'posterior';

/**
 * `posterior` flags a label whose estimated probability of being wrong is above this: a label
 * more likely wrong than right (Bayes' rule for the decision). Measured with the audit's two
 * rounds on seventeen tables with 20 % of labels flipped at known rows (digits, breast cancer,
 * wine, penguins and nine synthetic of 124 to 100,000 rows; uniform and class-conditional), against
 * `prune` on the same second round: higher precision on sixteen, higher F1 on fifteen, and above
 * confident learning on scikit-learn's HGB in precision and F1 on the five tables it was run on.
 * A stricter cut (odds of 2 to 1) bought precision only where the classes overlap (0.755 → 0.825 on
 * one table) and cost recall everywhere (0.833 → 0.728 at 100,000 rows); "train without these
 * rows" recovered more of the accuracy the noise cost with this cut (eight tables, three seeds:
 * a mean of 0.63, against 0.57 at 2 to 1 and 0.53 with pruning).
 */
export const WRONG_ABOVE = 0.5;

/**
 * Flags the rows whose label is likely wrong. `given`: each row's class; `proba`: n × k
 * out-of-fold probabilities (row-major). Issues are ranked by score, most doubtful first.
 */
export function findLabelIssues(
	given: Int32Array,
	proba: Float64Array,
	k: number,
	rule: LabelRule
): LabelAudit {
	const { noiseMatrix, thresholds, confident } = confidentJoint(given, proba, k);
	const issues =
		rule === 'prune'
			? pruned(given, proba, k, noiseMatrix, confident)
			: doubted(given, proba, k, noiseMatrix);
	issues.sort((a, b) => b.score - a.score || a.index - b.index);
	return { issues, noiseMatrix, thresholds };
}

/** Per-class thresholds, each row's confident class (−1: none) and the calibrated joint. */
function confidentJoint(given: Int32Array, proba: Float64Array, k: number) {
	const n = given.length;
	const counts = new Float64Array(k);
	for (const g of given) counts[g]!++;
	// Per-class threshold: the mean probability of class j over the rows labelled j.
	const thresholds = new Array<number>(k).fill(0);
	for (let i = 0; i < n; i++) thresholds[given[i]!]! += proba[i * k + given[i]!]!;
	for (let j = 0; j < k; j++) thresholds[j] = counts[j]! ? thresholds[j]! / counts[j]! : 1;

	// The confident joint: each row counted at (given, the most probable class above its threshold).
	const joint = Array.from({ length: k }, () => new Float64Array(k));
	const confident = new Int32Array(n).fill(-1);
	for (let i = 0; i < n; i++) {
		let best = -1;
		let bestP = -Infinity;
		for (let j = 0; j < k; j++) {
			const p = proba[i * k + j]!;
			if (p >= thresholds[j]! && p > bestP) {
				best = j;
				bestP = p;
			}
		}
		confident[i] = best;
		if (best >= 0) joint[given[i]!]![best]!++;
	}
	// Calibrated: each given row of the joint rescaled to the rows given that label.
	const noiseMatrix = joint.map((row, i) => {
		const total = row.reduce((a, b) => a + b, 0);
		return Array.from(row, (c) => (total ? (c / total) * counts[i]! : 0));
	});
	for (let i = 0; i < k; i++) if (!joint[i]!.some((c) => c > 0)) noiseMatrix[i]![i] = counts[i]!;
	return { noiseMatrix, thresholds, confident };
}

/** The class other than g that weighs most (`weight(j)`: how much class j counts). */
function likeliestOther(g: number, k: number, weight: (j: number) => number): number {
	let suggested = -1;
	for (let j = 0; j < k; j++)
		if (j !== g && (suggested < 0 || weight(j) > weight(suggested))) suggested = j;
	return suggested;
}

/** `prune`: both pruning rules pick the row, and it is confidently another class. */
function pruned(
	given: Int32Array,
	proba: Float64Array,
	k: number,
	noiseMatrix: number[][],
	confident: Int32Array
): LabelIssue[] {
	const n = given.length;
	// Prune by noise rate: for each (given i, true j ≠ i), the round(n_ij) rows given i with the
	// largest margin p_j − p_i.
	const byNoise = new Set<number>();
	const byClass = new Set<number>();
	const members: number[][] = Array.from({ length: k }, () => []);
	for (let r = 0; r < n; r++) members[given[r]!]!.push(r);
	for (let i = 0; i < k; i++) {
		const rows = members[i]!;
		let offDiagonal = 0;
		for (let j = 0; j < k; j++) {
			if (j === i) continue;
			const take = Math.round(noiseMatrix[i]![j]!);
			offDiagonal += noiseMatrix[i]![j]!;
			if (take <= 0) continue;
			const margin = (r: number) => proba[r * k + j]! - proba[r * k + i]!;
			const ranked = [...rows].sort((a, b) => margin(b) - margin(a) || a - b);
			for (const r of ranked.slice(0, take)) byNoise.add(r);
		}
		// Prune by class: the round(Σ_j≠i n_ij) rows given i with the lowest self-confidence.
		const take = Math.round(offDiagonal);
		if (take > 0) {
			const ranked = [...rows].sort((a, b) => proba[a * k + i]! - proba[b * k + i]! || a - b);
			for (const r of ranked.slice(0, take)) byClass.add(r);
		}
	}
	const issues: LabelIssue[] = [];
	for (const r of byNoise) {
		// Flagged by both pruning rules, and itself counted off the diagonal of the confident
		// joint: confidently another class, not merely unsure of its own.
		if (!byClass.has(r) || confident[r]! < 0 || confident[r] === given[r]) continue;
		const g = given[r]!;
		const suggested = likeliestOther(g, k, (j) => proba[r * k + j]!);
		// A row the model itself calls by its given label is not flagged, whatever the counts say.
		if (proba[r * k + suggested]! <= proba[r * k + g]!) continue;
		issues.push({ index: r, given: g, suggested, score: 1 - proba[r * k + g]! });
	}
	return issues;
}

/**
 * `posterior`: with `proba` estimating the true class, P(true j | x, given g) ∝ P(given g | true
 * j) · p(j | x) — the models' probabilities weighed by how often the table's labels move from j
 * to g (the noise matrix's column j, normalised). A row is flagged when its given label's share
 * of that sum is under 1 − `WRONG_ABOVE`; the suggestion is the likeliest true class.
 */
function doubted(
	given: Int32Array,
	proba: Float64Array,
	k: number,
	noiseMatrix: number[][]
): LabelIssue[] {
	const moves = labelRates(noiseMatrix);
	const issues: LabelIssue[] = [];
	for (let r = 0; r < given.length; r++) {
		const g = given[r]!;
		const weight = (j: number) => moves[g]![j]! * proba[r * k + j]!;
		let total = 0;
		for (let j = 0; j < k; j++) total += weight(j);
		if (!(total > 0)) continue;
		const wrong = 1 - weight(g) / total;
		if (!(wrong > WRONG_ABOVE)) continue;
		const suggested = likeliestOther(g, k, weight);
		if (proba[r * k + suggested]! <= proba[r * k + g]!) continue;
		issues.push({ index: r, given: g, suggested, score: wrong });
	}
	return issues;
}

/**
 * `[given i][true j]` → P(given i | true j): the noise matrix's columns normalised. A class no
 * row is likely to truly be keeps its own label (its column: 1 on the diagonal).
 */
export function labelRates(noiseMatrix: number[][]): number[][] {
	const k = noiseMatrix.length;
	const rates = Array.from({ length: k }, () => new Array<number>(k).fill(0));
	for (let j = 0; j < k; j++) {
		let column = 0;
		for (let i = 0; i < k; i++) column += noiseMatrix[i]![j]!;
		if (column > 0) for (let i = 0; i < k; i++) rates[i]![j] = noiseMatrix[i]![j]! / column;
		else rates[j]![j] = 1;
	}
	return rates;
}

/** A regression row whose out-of-fold residual is extreme. */
export interface ResidualIssue {
	index: number;
	/** The out-of-fold prediction: what a model of the other rows expected. */
	predicted: number;
	/** |residual − median| in robust standard deviations (1.4826 × MAD). */
	score: number;
}

/**
 * Residuals this many robust standard deviations from their median are flagged: the audit's one
 * rule for "extreme" (Iglewicz–Hoaglin's 3.5 flags a few percent of the rows of any tree model,
 * whose step-wise residuals have heavy tails — measured: 12 false flags in 600 clean rows).
 */
export const RESIDUAL_CUTOFF = 6;

/** Regression: rows whose out-of-fold residual is extreme against a robust scale. */
export function findResidualIssues(truth: Float64Array, predicted: Float64Array): ResidualIssue[] {
	const n = truth.length;
	const residuals = Float64Array.from({ length: n }, (_, i) => truth[i]! - predicted[i]!);
	const median = medianOf(residuals);
	const mad = medianOf(residuals.map((r) => Math.abs(r - median)));
	const scale = 1.4826 * mad;
	if (!(scale > 0)) return [];
	const issues: ResidualIssue[] = [];
	for (let i = 0; i < n; i++) {
		const score = Math.abs(residuals[i]! - median) / scale;
		if (score > RESIDUAL_CUTOFF) issues.push({ index: i, predicted: predicted[i]!, score });
	}
	return issues.sort((a, b) => b.score - a.score || a.index - b.index);
}

function medianOf(values: Float64Array): number {
	const sorted = Float64Array.from(values).sort();
	const m = sorted.length >> 1;
	return sorted.length % 2 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
}
