/**
 * Limited-memory BFGS (Nocedal & Wright, algorithm 7.4) with a backtracking Armijo line search:
 * minimises a smooth function from its value and gradient. Used for the exact fit of linear,
 * logistic and softmax regression, which are convex: it reaches the optimum Adam only nears.
 */

/** The value and the gradient at a point. */
export type Objective = (w: Float64Array) => { value: number; gradient: Float64Array };

export interface LbfgsOptions {
	maxIterations: number;
	/** Stops when the largest gradient entry is below this. */
	gradientTolerance?: number;
	/** Stops when the value improves by less than this share of itself. */
	valueTolerance?: number;
	memory?: number;
	/** Heard after every iteration; returning false stops (Cancel). */
	onIteration?: (iteration: number, value: number, w: Float64Array) => boolean | Promise<boolean>;
}

/** The minimum found, its value and the iterations taken. */
export interface LbfgsResult {
	w: Float64Array;
	value: number;
	iterations: number;
	converged: boolean;
}

const dot = (a: Float64Array, b: Float64Array) => {
	let s = 0;
	for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
	return s;
};

/** Minimises `f` from `start`. */
export async function minimize(
	f: Objective,
	start: Float64Array,
	options: LbfgsOptions
): Promise<LbfgsResult> {
	const m = options.memory ?? 10;
	const gtol = options.gradientTolerance ?? 1e-6;
	const ftol = options.valueTolerance ?? 1e-10;
	const n = start.length;
	let w = Float64Array.from(start);
	let { value, gradient } = f(w);
	const s: Float64Array[] = [];
	const y: Float64Array[] = [];
	const rho: number[] = [];
	let iterations = 0;
	let converged = maxAbs(gradient) < gtol;
	while (!converged && iterations < options.maxIterations) {
		// Two-loop recursion: direction = −H·g.
		const q = Float64Array.from(gradient);
		const alpha: number[] = new Array(s.length);
		for (let i = s.length - 1; i >= 0; i--) {
			alpha[i] = rho[i]! * dot(s[i]!, q);
			for (let j = 0; j < n; j++) q[j]! -= alpha[i]! * y[i]![j]!;
		}
		const gamma = s.length
			? dot(s[s.length - 1]!, y[y.length - 1]!) / dot(y[y.length - 1]!, y[y.length - 1]!)
			: 1 / Math.max(1, Math.sqrt(dot(gradient, gradient)));
		for (let j = 0; j < n; j++) q[j]! *= gamma;
		for (let i = 0; i < s.length; i++) {
			const beta = rho[i]! * dot(y[i]!, q);
			for (let j = 0; j < n; j++) q[j]! += s[i]![j]! * (alpha[i]! - beta);
		}
		const direction = q.map((v) => -v);
		let slope = dot(gradient, direction);
		if (!(slope < 0)) {
			// Not a descent direction (curvature lost): restart from steepest descent.
			s.length = y.length = rho.length = 0;
			for (let j = 0; j < n; j++) direction[j] = -gradient[j]!;
			slope = -dot(gradient, gradient);
		}
		let step = 1;
		let next = w;
		let trial = { value: Infinity, gradient };
		for (let tries = 0; tries < 40; tries++) {
			next = w.map((v, j) => v + step * direction[j]!);
			trial = f(next);
			if (Number.isFinite(trial.value) && trial.value <= value + 1e-4 * step * slope) break;
			step /= 2;
		}
		iterations++;
		if (!(trial.value < value)) {
			converged = true; // No step improves: as close as floating point gets.
			break;
		}
		const sk = next.map((v, j) => v - w[j]!);
		const yk = trial.gradient.map((v, j) => v - gradient[j]!);
		const sy = dot(sk, yk);
		if (sy > 1e-12) {
			s.push(sk);
			y.push(yk);
			rho.push(1 / sy);
			if (s.length > m) {
				s.shift();
				y.shift();
				rho.shift();
			}
		}
		const improvement = value - trial.value;
		w = next;
		value = trial.value;
		gradient = trial.gradient;
		converged = maxAbs(gradient) < gtol || improvement <= ftol * Math.max(1, Math.abs(value));
		if (options.onIteration && (await options.onIteration(iterations, value, w)) === false) break;
	}
	return { w, value, iterations, converged };
}

function maxAbs(v: Float64Array): number {
	let m = 0;
	for (const x of v) m = Math.max(m, Math.abs(x));
	return m;
}
