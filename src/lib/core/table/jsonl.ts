import { errorMessage } from '../errors';
import { RecordColumns, recordsResult } from './json';
import type { BuiltColumn } from './missing';
import { InputError, type ParseReport } from './types';

const NEWLINE = 10;

/**
 * Reads JSON Lines (`.jsonl`, `.ndjson`: one JSON object a line) as it streams by, into the same
 * columns as a JSON array of records. Blank lines are skipped and counted; a line that is not a
 * JSON object stops the read with its line number.
 */
export class JsonLinesReader {
	private readonly records = new RecordColumns();
	private readonly decoder = new TextDecoder();
	private carry = '';
	private line = 0;
	private blank = 0;
	private bytes = 0;

	get rows(): number {
		return this.records.rows;
	}

	/** UTF-8 bytes of the file, in order. */
	push(utf8: Uint8Array): void {
		this.bytes += utf8.length;
		const last = utf8.lastIndexOf(NEWLINE);
		if (last < 0) {
			this.carry += this.decoder.decode(utf8, { stream: true });
			return;
		}
		// Bytes up to a newline end on a whole character: the decoder holds nothing back there.
		const text = this.carry + this.decoder.decode(utf8.subarray(0, last), { stream: true });
		this.carry = this.decoder.decode(utf8.subarray(last + 1), { stream: true });
		for (const line of text.split('\n')) this.addLine(line);
	}

	finish(): { columns: BuiltColumn[]; report: ParseReport } {
		this.carry += this.decoder.decode();
		if (this.carry !== '') this.addLine(this.carry);
		this.carry = '';
		if (this.records.rows === 0) {
			throw new InputError(
				this.line === 0 || this.blank === this.line
					? 'The file is empty: there is nothing to import.'
					: 'The JSON Lines file has no records to import.',
				'empty'
			);
		}
		const { columns, rows } = this.records.finishBuilt();
		return recordsResult(columns, rows, this.bytes, this.blank, 'JSON Lines records');
	}

	private addLine(raw: string): void {
		this.line++;
		const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
		if (line.trim() === '') {
			this.blank++;
			return;
		}
		let record: unknown;
		try {
			record = JSON.parse(line);
		} catch (error) {
			const detail = errorMessage(error);
			throw new InputError(
				`Line ${this.line} is not valid JSON (${detail}). In JSON Lines every line is one JSON object, like {"a": 1, "b": "x"}: fix or remove that line and import again.`,
				'json'
			);
		}
		this.records.add(record, `Line ${this.line}`);
	}
}
