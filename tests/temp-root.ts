import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The global setup of vitest and Playwright: every file a test run writes under the system's temp
 * folder (the CLI's outputs, downloads, bundles, browser profiles) goes into one directory made for
 * the run, removed when the run ends. Node's `tmpdir()` and Chromium read `TMPDIR`, and the test
 * workers start after this and inherit it. Before, each `npm test` left ~80 directories behind.
 */
export default function tempRoot(): () => void {
	const root = mkdtempSync(join(tmpdir(), 'driftwood-test-run-'));
	const before = process.env.TMPDIR;
	process.env.TMPDIR = root;
	return () => {
		if (before === undefined) delete process.env.TMPDIR;
		else process.env.TMPDIR = before;
		rmSync(root, { recursive: true, force: true });
	};
}
