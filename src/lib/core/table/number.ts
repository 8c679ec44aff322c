/**
 * Parses decimal numbers straight from UTF-8 bytes, with `Number()`'s correctly rounded result.
 *
 * The fast path is Clinger's: an integer mantissa below 2^53 scaled by an exact power of ten
 * (≤ 10^22) is one IEEE operation on two exact doubles, hence correctly rounded. Anything else is
 * handed to `Number()` on the token's text, so every result equals `Number(token)`.
 */

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
/** floor(2^53 / 10): below it, `m * 10 + d` stays an exact integer ≤ 2^53. */
const MANTISSA_LIMIT = 900719925474099;

/** Not a number, or a number that must stay text (leading zeros, integers past 2^53). */
export const NOT_NUMBER = Symbol('not-number');

const DIGIT_0 = 48;
const DIGIT_9 = 57;

function isDigit(c: number): boolean {
	return c >= DIGIT_0 && c <= DIGIT_9;
}

/**
 * Parses `buf[start, end)` as a plain decimal number (`-1.5e3`, `+2`, `.5`, `Infinity`).
 * `decimal` is the byte of the decimal separator (`.` or `,`). Returns `NOT_NUMBER` for text,
 * for codes with leading zeros (`007`) and for integers beyond 2^53, which lose digits as doubles.
 */
export function parseNumberBytes(
	buf: Uint8Array,
	start: number,
	end: number,
	decimal = 46
): number | typeof NOT_NUMBER {
	let i = start;
	if (i >= end) return NOT_NUMBER;
	let negative = false;
	let c = buf[i]!;
	if (c === 45 /* - */ || c === 43 /* + */) {
		negative = c === 45;
		i++;
		if (i >= end) return NOT_NUMBER;
		c = buf[i]!;
	}
	if (c === 73 /* I */ || c === 105 /* i */) return parseInfinity(buf, i, end, negative);

	let mantissa = 0;
	let exact = true;
	let digits = 0;
	let scale = 0;
	const intStart = i;
	while (i < end && isDigit(buf[i]!)) {
		const digit = buf[i]! - DIGIT_0;
		if (exact && fitsMantissa(mantissa, digit)) mantissa = mantissa * 10 + digit;
		else exact = false;
		if (!exact) scale++;
		digits++;
		i++;
	}
	const intDigits = i - intStart;
	// "007" is a code, not seven; "0" and "0.5" are numbers.
	if (intDigits > 1 && buf[intStart] === DIGIT_0) return NOT_NUMBER;
	let fraction = false;
	if (i < end && buf[i] === decimal) {
		fraction = true;
		i++;
		while (i < end && isDigit(buf[i]!)) {
			const digit = buf[i]! - DIGIT_0;
			if (exact && fitsMantissa(mantissa, digit)) {
				mantissa = mantissa * 10 + digit;
				scale--;
			} else exact = false;
			digits++;
			i++;
		}
	}
	if (digits === 0) return NOT_NUMBER;
	let exponent = 0;
	let hasExponent = false;
	if (i < end && (buf[i] === 101 || buf[i] === 69) /* e E */) {
		hasExponent = true;
		i++;
		let expNegative = false;
		if (i < end && (buf[i] === 45 || buf[i] === 43)) {
			expNegative = buf[i] === 45;
			i++;
		}
		const expStart = i;
		while (i < end && isDigit(buf[i]!)) {
			if (exponent < 100000) exponent = exponent * 10 + (buf[i]! - DIGIT_0);
			i++;
		}
		if (i === expStart) return NOT_NUMBER;
		if (expNegative) exponent = -exponent;
	}
	if (i !== end) return NOT_NUMBER;
	// An integer id of 18 digits would silently lose its last digits as a double: keep it text.
	if (!fraction && !hasExponent && !exact) return NOT_NUMBER;

	const power = scale + exponent;
	let value: number;
	if (exact && power >= -22 && power <= 22) {
		value = power < 0 ? mantissa / POW10[-power]! : mantissa * POW10[power]!;
	} else {
		value = Number(tokenText(buf, start, end, decimal));
		if (Number.isNaN(value)) return NOT_NUMBER;
		return value;
	}
	return negative ? -value : value;
}

function fitsMantissa(mantissa: number, digit: number): boolean {
	return mantissa < MANTISSA_LIMIT || (mantissa === MANTISSA_LIMIT && digit <= 2);
}

function parseInfinity(
	buf: Uint8Array,
	start: number,
	end: number,
	negative: boolean
): number | typeof NOT_NUMBER {
	const word = tokenText(buf, start, end, 46).toLowerCase();
	if (word === 'inf' || word === 'infinity') return negative ? -Infinity : Infinity;
	return NOT_NUMBER;
}

/** The ASCII text of a token already known to be a number, with `.` as decimal separator. */
function tokenText(buf: Uint8Array, start: number, end: number, decimal: number): string {
	let s = '';
	for (let i = start; i < end; i++) s += String.fromCharCode(buf[i] === decimal ? 46 : buf[i]!);
	return s;
}

const encoder = new TextEncoder();

/** `parseNumberBytes` for a string (JSON values, type overrides). */
export function parseNumberText(
	text: string,
	decimal: '.' | ',' = '.'
): number | typeof NOT_NUMBER {
	const trimmed = text.trim();
	const bytes = encoder.encode(trimmed);
	return parseNumberBytes(bytes, 0, bytes.length, decimal.charCodeAt(0));
}
