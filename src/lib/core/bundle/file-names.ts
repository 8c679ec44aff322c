/* The names of the files a model version downloads as (no packing code: the page imports them). */

/** The file name of a bundle: `<name>-v<version>.driftwood.zip`, safe for any file system. */
export function bundleFileName(name: string, version: number): string {
	const safe =
		name
			.trim()
			.replace(/[^\w.-]+/g, '-')
			.replace(/^-+|-+$/g, '') || 'model';
	return `${safe}-v${version}.driftwood.zip`;
}

/** The file name of a bundle's ONNX export: `penguins-v1.onnx`. */
export function onnxFileName(bundleFileName: string): string {
	return bundleFileName.replace(/(\.driftwood)?\.zip$/i, '') + '.onnx';
}

/** The file name of a model version's report: `penguins-v1-report.html`. */
export function reportFileName(name: string, version: number): string {
	return bundleFileName(name, version).replace(/\.driftwood\.zip$/, '-report.html');
}
