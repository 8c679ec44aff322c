import { InputError, type Encoding } from './types';

/** Encodings offered when a file is not valid UTF-8. */
export const FALLBACK_ENCODINGS: readonly { value: Encoding; label: string }[] = [
	{ value: 'windows-1252', label: 'Windows-1252 (Western European, Excel on Windows)' },
	{ value: 'iso-8859-1', label: 'Latin-1 (ISO-8859-1)' },
	{ value: 'utf-16le', label: 'UTF-16 LE (Excel “Unicode Text”)' },
	{ value: 'utf-16be', label: 'UTF-16 BE' }
];

/** Every encoding the readers decode, for the dialect panel and the CLI. */
export const ENCODINGS: readonly { value: Encoding; label: string }[] = [
	{ value: 'utf-8', label: 'UTF-8' },
	{ value: 'utf-16le', label: 'UTF-16 LE' },
	{ value: 'utf-16be', label: 'UTF-16 BE' },
	{ value: 'windows-1252', label: 'Windows-1252' },
	{ value: 'iso-8859-1', label: 'Latin-1' }
];

const encoder = new TextEncoder();

/**
 * Turns a stream of file bytes into UTF-8 bytes for the scanner. UTF-8 input is validated with
 * a fatal decoder and passed through untouched; invalid bytes stop the import with a request to
 * pick the encoding, instead of silently becoming U+FFFD. Other encodings are transcoded.
 */
export class ChunkDecoder {
	private readonly decoder: TextDecoder;
	private offset = 0;
	/** The previous chunk ended inside a multi-byte sequence, which the next one completes. */
	private pending = false;

	constructor(readonly encoding: Encoding) {
		// UTF-16 is fatal too: an unpaired surrogate must not become U+FFFD silently. Its BOM is
		// consumed by the decoder (ignoreBOM: false).
		this.decoder = new TextDecoder(encoding, {
			fatal: encoding !== 'windows-1252' && encoding !== 'iso-8859-1'
		});
	}

	/** UTF-8 bytes for `chunk`; `final` flushes a multi-byte sequence cut at the end. */
	toUtf8(chunk: Uint8Array, final = false): Uint8Array {
		const start = this.offset;
		this.offset += chunk.length;
		if (this.encoding === 'utf-8') {
			// Pure ASCII (most CSVs) is valid UTF-8 as it is, unless a sequence is still open.
			if (!this.pending && isAscii(chunk)) return chunk;
			try {
				this.decoder.decode(chunk, { stream: !final });
				this.pending = chunk.length > 0 && endsInsideSequence(chunk);
			} catch {
				throw invalidUtf8Error(start + firstInvalidUtf8(chunk));
			}
			return chunk;
		}
		try {
			return encoder.encode(this.decoder.decode(chunk, { stream: !final }));
		} catch {
			throw new InputError(
				`This file is not valid ${this.encoding.toUpperCase()} (near byte ${start}). Choose another encoding and import it again.`,
				'encoding'
			);
		}
	}
}

/** True when every byte is below 0x80; reads four bytes at a time where alignment allows. */
export function isAscii(bytes: Uint8Array): boolean {
	const n = bytes.length;
	let i = 0;
	while (i < n && (bytes.byteOffset + i) % 4 !== 0) if (bytes[i++]! & 0x80) return false;
	const words = Math.floor((n - i) / 4);
	if (words > 0) {
		const view = new Uint32Array(bytes.buffer, bytes.byteOffset + i, words);
		for (let w = 0; w < words; w++) if (view[w]! & 0x80808080) return false;
		i += words * 4;
	}
	while (i < n) if (bytes[i++]! & 0x80) return false;
	return true;
}

/** Whether the last bytes start a multi-byte sequence that the chunk does not finish. */
function endsInsideSequence(bytes: Uint8Array): boolean {
	for (let back = 1; back <= 3 && back <= bytes.length; back++) {
		const b = bytes[bytes.length - back]!;
		if ((b & 0xc0) === 0x80) continue;
		const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
		return need > back;
	}
	return false;
}

/** The error for UTF-16 text without a byte-order mark: its byte order must be chosen. */
export function utf16WithoutBomError(order: 'utf-16le' | 'utf-16be'): InputError {
	return new InputError(
		`This file looks like UTF-16 text without a byte-order mark (probably ${order === 'utf-16le' ? 'UTF-16 LE, as Windows writes it' : 'UTF-16 BE'}). Choose its encoding and import it again.`,
		'encoding'
	);
}

/** The error shown when a file is not UTF-8; the UI offers `FALLBACK_ENCODINGS`. */
export function invalidUtf8Error(byteOffset: number): InputError {
	return new InputError(
		`This file is not valid UTF-8 (the first bad byte is at offset ${byteOffset}). ` +
			'It was probably saved by Excel or an older program: choose its encoding ' +
			'(Windows-1252 or Latin-1) and import it again.',
		'encoding'
	);
}

/** Offset of the first byte that breaks UTF-8 in `bytes` (or `bytes.length`), for the message. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
	let i = 0;
	while (i < bytes.length) {
		const b = bytes[i]!;
		const need =
			b < 0x80
				? 0
				: b >= 0xc2 && b <= 0xdf
					? 1
					: b >= 0xe0 && b <= 0xef
						? 2
						: b >= 0xf0 && b <= 0xf4
							? 3
							: -1;
		if (need < 0) return i;
		for (let k = 1; k <= need; k++) {
			const next = bytes[i + k];
			if (next === undefined) return bytes.length;
			if ((next & 0xc0) !== 0x80) return i;
		}
		i += need + 1;
	}
	return bytes.length;
}
