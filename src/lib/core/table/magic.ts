import { InputError } from './types';

/** What a file's first bytes say it is, when it is not text Driftwood reads as a table. */
export interface BinaryKind {
	/** "a PNG image", "an Excel workbook" … */
	what: string;
	/** What to do instead. */
	advice: string;
}

interface Signature {
	bytes: (number | null)[];
	at?: number;
	kind: BinaryKind;
}

const CHOOSE_TABLE =
	'Driftwood imports tables: choose the CSV, TSV, JSON, JSON Lines, Parquet or Arrow file instead.';

const SIGNATURES: Signature[] = [
	{
		bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
		kind: { what: 'a PNG image', advice: CHOOSE_TABLE }
	},
	{ bytes: [0xff, 0xd8, 0xff], kind: { what: 'a JPEG image', advice: CHOOSE_TABLE } },
	{ bytes: [0x47, 0x49, 0x46, 0x38], kind: { what: 'a GIF image', advice: CHOOSE_TABLE } },
	{
		bytes: [0x52, 0x49, 0x46, 0x46, null, null, null, null, 0x57, 0x45, 0x42, 0x50],
		kind: { what: 'a WebP image', advice: CHOOSE_TABLE }
	},
	{
		bytes: [0x25, 0x50, 0x44, 0x46, 0x2d],
		kind: {
			what: 'a PDF document',
			advice: 'Export the table from the program that made the PDF as CSV, and import that.'
		}
	},
	{
		bytes: [0x1f, 0x8b],
		kind: {
			what: 'a gzip-compressed file',
			advice: 'Decompress it first (for example `gunzip file.csv.gz`), then import the CSV inside.'
		}
	},
	{
		bytes: [
			0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66, 0x6f, 0x72, 0x6d, 0x61, 0x74, 0x20, 0x33, 0x00
		],
		kind: {
			what: 'a SQLite database',
			advice:
				'Export the table you want as CSV (`sqlite3 -csv -header db.sqlite "select * from t" > t.csv`), then import that.'
		}
	},
	{
		bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
		kind: {
			what: 'an Excel 97–2003 workbook (.xls)',
			advice: 'In Excel choose File → Save As → CSV UTF-8, or save it as Parquet, and import that.'
		}
	},
	{
		bytes: [0x28, 0xb5, 0x2f, 0xfd],
		kind: {
			what: 'a zstd-compressed file',
			advice: 'Decompress it first (`zstd -d`), then import the file inside.'
		}
	},
	{
		bytes: [0x42, 0x5a, 0x68],
		kind: {
			what: 'a bzip2-compressed file',
			advice: 'Decompress it first (`bunzip2`), then import the file inside.'
		}
	},
	{
		bytes: [0x7f, 0x45, 0x4c, 0x46],
		kind: { what: 'a program (ELF executable)', advice: CHOOSE_TABLE }
	}
];

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));

/** The file is a Parquet file: `PAR1` at the start (and at the end). */
export function isParquet(head: Uint8Array): boolean {
	return head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x31;
}

/** The file starts with UTF-8's byte-order mark (EF BB BF), as Excel writes "CSV UTF-8". */
export function utf8Bom(head: Uint8Array): boolean {
	return head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
}

/** The byte-order mark's encoding, if the file starts with a UTF-16 BOM. */
export function utf16Bom(head: Uint8Array): 'utf-16le' | 'utf-16be' | null {
	if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
	if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
	return null;
}

/**
 * An Apache Arrow IPC file (`.arrow`, Feather v2) or stream: `ARROW1` at the start, or the
 * stream's 0xFFFFFFFF continuation marker.
 */
export function isArrow(head: Uint8Array): boolean {
	const magic = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31];
	if (magic.every((b, i) => head[i] === b)) return true;
	return head[0] === 0xff && head[1] === 0xff && head[2] === 0xff && head[3] === 0xff;
}

/**
 * UTF-16 text without a BOM: most of its characters are ASCII, so every other byte is NUL. Which
 * half holds the NULs gives the byte order; null when the bytes do not look so.
 */
export function utf16WithoutBom(head: Uint8Array): 'utf-16le' | 'utf-16be' | null {
	const n = Math.min(head.length, 4096) & ~1;
	if (n < 8) return null;
	let evenZero = 0;
	let oddZero = 0;
	for (let i = 0; i < n; i += 2) {
		if (head[i] === 0) evenZero++;
		if (head[i + 1] === 0) oddZero++;
	}
	const pairs = n / 2;
	if (oddZero > pairs * 0.6 && evenZero < pairs * 0.1) return 'utf-16le';
	if (evenZero > pairs * 0.6 && oddZero < pairs * 0.1) return 'utf-16be';
	return null;
}

/**
 * What a binary file picked by mistake is, from its magic bytes, or null for text (and Parquet
 * and Arrow, which Driftwood reads). A file with NUL bytes that is not UTF-16 is binary of an unknown kind.
 * Never guessed from the name alone: a `.csv` that is really a PNG is still a PNG.
 */
export function detectBinary(head: Uint8Array): BinaryKind | null {
	if (isParquet(head) || isArrow(head) || utf16Bom(head)) return null;
	for (const { bytes, at = 0, kind } of SIGNATURES) {
		if (bytes.every((b, i) => b === null || head[at + i] === b)) return kind;
	}
	if (ZIP.every((b, i) => head[i] === b)) return zipKind(head);
	if (utf16WithoutBom(head)) return null;
	const n = Math.min(head.length, 8192);
	for (let i = 0; i < n; i++) {
		if (head[i] === 0) {
			return {
				what: 'a binary file, not text',
				advice:
					'Driftwood imports CSV, TSV, JSON, JSON Lines, Parquet and Arrow files: choose one of those.'
			};
		}
	}
	return null;
}

/** The error that refuses a binary file, saying what it looks like and what to do. */
export function binaryFileError(kind: BinaryKind): InputError {
	return new InputError(
		`This looks like ${kind.what}, not a table Driftwood can read. ${kind.advice}`,
		'binary'
	);
}

/** A zip is an Excel workbook, a Word or OpenDocument file, a Driftwood bundle, or an archive. */
function zipKind(head: Uint8Array): BinaryKind {
	const has = (text: string) => indexOf(head, ascii(text)) >= 0;
	if (has('xl/') || (has('[Content_Types].xml') && !has('word/') && !has('ppt/')))
		return {
			what: 'an Excel workbook (.xlsx)',
			advice:
				'In Excel choose File → Save As → CSV UTF-8 (or export it as Parquet), and import that.'
		};
	if (has('word/')) return { what: 'a Word document', advice: CHOOSE_TABLE };
	if (has('mimetypeapplication/vnd.oasis.opendocument.spreadsheet'))
		return {
			what: 'an OpenDocument spreadsheet (.ods)',
			advice: 'Save it as CSV (File → Save As → Text CSV), and import that.'
		};
	if (has('manifest.json') && has('model/'))
		return {
			what: 'a Driftwood model bundle',
			advice: 'Import bundles on the Models page (Import a bundle), not as data.'
		};
	return {
		what: 'a zip archive',
		advice: 'Unzip it first, then import the CSV, JSON or Parquet file inside.'
	};
}

function indexOf(haystack: Uint8Array, needle: number[]): number {
	const n = Math.min(haystack.length, 64 * 1024) - needle.length;
	outer: for (let i = 0; i <= n; i++) {
		for (let k = 0; k < needle.length; k++) if (haystack[i + k] !== needle[k]) continue outer;
		return i;
	}
	return -1;
}
