/**
 * Seconds left for a run's current model at most: the mean time of its last few steps (epochs or
 * iterations) times the steps still allowed; null before the first step. "At most": early
 * stopping may end it sooner.
 */
export function secondsLeft(
	history: readonly { epoch: number; seconds: number }[],
	steps: number
): number | null {
	const last = history[history.length - 1];
	if (!last) return null;
	const recent = history.slice(-5);
	const mean = recent.reduce((sum, h) => sum + h.seconds, 0) / recent.length;
	return Math.max(0, steps - last.epoch) * mean;
}

/** A duration for people: "40 s", "12 min", "3.5 h". */
export function formatDuration(seconds: number): string {
	if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
	if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
	return `${Number((seconds / 3600).toFixed(1))} h`;
}
