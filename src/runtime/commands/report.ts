import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseHTML } from 'linkedom';
import { batchFigures } from '../../lib/charts/report';
import { loadBundleModel } from '../../lib/core/bundle/predict';
import { modelMissingPolicy } from '../../lib/core/bundle/enforce';
import { unpackBundle } from '../../lib/core/bundle/unpack';
import { checkBatch } from '../../lib/core/drift/monitor';
import { modelReport, type ReportBatch } from '../../lib/core/report/model-report';
import { readFileTable, type ReadFileOptions } from '../read-file';

/**
 * `driftwood report --bundle <zip> [<batch>…] --out report.html`: each batch checked against the
 * bundle's training rows as `driftwood drift --bundle` checks it, and the model card, as one HTML
 * file with its charts drawn in (SVG, no script, no network). Returns the HTML and the batches.
 */
export async function reportFile(
	bundlePath: string,
	batchPaths: string[],
	options: ReadFileOptions
): Promise<{ html: string; batches: ReportBatch[] }> {
	const bundle = await unpackBundle(new Uint8Array(await readFile(bundlePath)));
	const { manifest } = bundle;
	const loaded = await loadBundleModel(manifest, bundle.model);
	// Plot draws into a document: outside a page, a small DOM that only builds the SVG markup.
	const { document } = parseHTML('<!doctype html><html lang="en"><body></body></html>');
	const batches: ReportBatch[] = [];
	try {
		const missing = options.missing ?? modelMissingPolicy(manifest);
		for (const path of batchPaths) {
			const { table } = await readFileTable(path, { ...options, missing });
			const check = await checkBatch(loaded, table);
			batches.push({
				name: basename(path),
				check,
				figures: batchFigures(check, document as unknown as Document)
			});
		}
	} finally {
		loaded.model.dispose();
	}
	const html = modelReport({
		model: `${manifest.model.name} v${manifest.model.version}`,
		card: bundle.readme,
		batches
	});
	return { html, batches };
}

export async function writeReport(html: string, out: string): Promise<void> {
	await writeFile(out, html);
}
