import { describe, expect, it } from 'vitest';
import { NOT_NUMBER, parseNumberBytes, parseNumberText } from './number';
import { seededRandom } from '../stats/random';

const encoder = new TextEncoder();
function parse(text: string, decimal = '.'): number | typeof NOT_NUMBER {
	const bytes = encoder.encode(text);
	return parseNumberBytes(bytes, 0, bytes.length, decimal.charCodeAt(0));
}

describe('parseNumberBytes', () => {
	it('equals Number() on plain decimals', () => {
		for (const text of [
			'0',
			'-0',
			'1',
			'+2',
			'3.25',
			'-0.1',
			'.5',
			'5.',
			'1e3',
			'1E-7',
			'-2.5e+10',
			'123456789',
			'0.000001'
		]) {
			expect(parse(text)).toBe(Number(text));
		}
	});

	it('equals Number() bit for bit on 20,000 random tokens, fast path and slow', () => {
		const next = seededRandom(7);
		for (let i = 0; i < 20_000; i++) {
			const digits = 1 + Math.floor(next() * 19);
			let mantissa = String(1 + Math.floor(next() * 9));
			for (let d = 1; d < digits; d++) mantissa += String(Math.floor(next() * 10));
			const point = Math.floor(next() * (digits + 1));
			let text =
				point > 0 && point < digits
					? `${mantissa.slice(0, point)}.${mantissa.slice(point)}`
					: mantissa;
			if (point === 0) text = `0.${mantissa}`;
			if (next() < 0.3) text += `e${Math.floor(next() * 80) - 40}`;
			if (next() < 0.5) text = `-${text}`;
			const expected = Number(text);
			const isBigInteger = /^-?\d+$/.test(text) && Math.abs(expected) > 2 ** 53;
			if (isBigInteger) expect(parse(text)).toBe(NOT_NUMBER);
			else expect(Object.is(parse(text), expected), text).toBe(true);
		}
	});

	it('keeps codes with leading zeros and integers past 2^53 as text', () => {
		expect(parse('007')).toBe(NOT_NUMBER);
		expect(parse('02134')).toBe(NOT_NUMBER);
		expect(parse('123456789012345678')).toBe(NOT_NUMBER);
		expect(parse('9007199254740993')).toBe(NOT_NUMBER);
		expect(parse('9007199254740992')).toBe(2 ** 53);
		expect(parse('0.5')).toBe(0.5);
	});

	it('rejects text that is not a number', () => {
		for (const text of [
			'',
			'-',
			'.',
			'e5',
			'1e',
			'1.2.3',
			'12a',
			'abc',
			'1,5',
			'0x10',
			' 1',
			'1 '
		]) {
			expect(parse(text), text).toBe(NOT_NUMBER);
		}
	});

	it('reads infinities and decimal commas', () => {
		expect(parse('Infinity')).toBe(Infinity);
		expect(parse('-inf')).toBe(-Infinity);
		expect(parse('1234,5', ',')).toBe(1234.5);
		expect(parse('-12,75', ',')).toBe(-12.75);
		expect(parse('1.5', ',')).toBe(NOT_NUMBER);
		expect(parseNumberText(' 2.5 ')).toBe(2.5);
	});
});
