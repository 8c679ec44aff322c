/**
 * Tick labels that stay inside their card: a left margin sized to the longest label, up to a
 * cap, and labels longer than the margin holds shortened with "…" (the bar's tip keeps the whole
 * label). At 11–12 px a character is about 6.2 px wide.
 */
const CHAR_PX = 6.2;

export function fittedLabels(
	labels: string[],
	maxMargin: number
): { marginLeft: number; tickFormat: (label: string) => string } {
	const longest = Math.max(0, ...labels.map((l) => l.length));
	const marginLeft = Math.min(maxMargin, 12 + longest * CHAR_PX);
	const chars = Math.max(4, Math.floor((marginLeft - 12) / CHAR_PX));
	return {
		marginLeft,
		tickFormat: (label) => (label.length > chars ? `${label.slice(0, chars - 1)}…` : label)
	};
}
