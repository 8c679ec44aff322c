// One measured run in a fresh process, so peak memory (maxRSS) belongs to that run alone.
import { closeSync, createReadStream, openSync, readFileSync, readSync, statSync } from 'node:fs';
import Papa from 'papaparse';
import { profileTable } from '../../src/lib/core/profile/profile';
import { SNIFF_BYTES, sniffDialect } from '../../src/lib/core/table/dialect';
import { readTable } from '../../src/lib/core/table/read';

const [mode, path] = process.argv.slice(2) as [
	'driftwood' | 'driftwood-parse' | 'papaparse',
	string
];
const bytes = statSync(path).size;
const start = performance.now();
let rows = 0;
if (mode !== 'papaparse') {
	const head = new Uint8Array(SNIFF_BYTES);
	const fd = openSync(path, 'r');
	readSync(fd, head, 0, SNIFF_BYTES, 0);
	closeSync(fd);
	const dialect = sniffDialect(head, path);
	const { table } = await readTable(createReadStream(path, { highWaterMark: 1 << 20 }), {
		dialect,
		totalBytes: bytes,
		sample: head
	});
	rows = table.rowCount;
	if (mode === 'driftwood') profileTable(table, 'active');
} else {
	// PapaParse in its fastest mode (strings, no typing), keeping the table as we do.
	const result = Papa.parse<string[]>(readFileSync(path, 'utf8'), { skipEmptyLines: true });
	rows = result.data.length - 1;
}
const seconds = (performance.now() - start) / 1000;
const peakRss = process.resourceUsage().maxRSS * 1024;
process.stdout.write(JSON.stringify({ mode, rows, seconds, peakRss, bytes }));
