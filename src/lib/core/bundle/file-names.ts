/* The names of the files a model version downloads as (no packing code: the page imports them). */

/** A name as a file name's stem, safe for any file system. */
function safeStem(name: string, fallback: string): string {
	return (
		name
			.trim()
			.replace(/[^\w.-]+/g, '-')
			.replace(/^-+|-+$/g, '') || fallback
	);
}

/** The file name of a bundle: `<name>-v<version>.driftwood.zip`, safe for any file system. */
export function bundleFileName(name: string, version: number): string {
	return `${safeStem(name, 'model')}-v${version}.driftwood.zip`;
}

/** The file name of a bundle's ONNX export: `penguins-v1.onnx`. */
export function onnxFileName(bundleFileName: string): string {
	return bundleFileName.replace(/(\.driftwood)?\.zip$/i, '') + '.onnx';
}

/** The file name of a model version's report: `penguins-v1-report.html`. */
export function reportFileName(name: string, version: number): string {
	return `${safeStem(name, 'model')}-v${version}-report.html`;
}

/** The file name of a run's report: `run-gbdt-seed-42-report.html`. */
export function runReportFileName(runName: string): string {
	return `run-${safeStem(runName, 'run')}-report.html`;
}
