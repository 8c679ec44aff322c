import { transferHandlers } from 'comlink';
import { describe, expect, it } from 'vitest';
import { DriftwoodError, errorCode, mayRetryElsewhere } from '../core/errors';
import { SplitError } from '../core/model/split';
import { forwardErrorCodes } from './errors';

/** What comlink does to an error thrown in a worker: serialize there, deserialize on the page. */
function acrossWorker(error: unknown): unknown {
	const handler = transferHandlers.get('throw')!;
	const [wire] = handler.serialize({ value: error });
	try {
		handler.deserialize(structuredClone(wire));
	} catch (received) {
		return received;
	}
	throw new Error('comlink did not rethrow');
}

describe('error codes across a worker boundary', () => {
	it('arrive on the page, so the page decides by code and never by message text', () => {
		forwardErrorCodes();
		const split = acrossWorker(new SplitError('A time split needs a date/time column.'));
		expect(split).toBeInstanceOf(Error);
		expect(errorCode(split)).toBe('split');
		// A settings error never offers another backend; a dead worker or an unknown error may.
		expect(mayRetryElsewhere(split)).toBe(false);
		expect(mayRetryElsewhere(acrossWorker(new DriftwoodError('lost', 'backend')))).toBe(true);
		expect(mayRetryElsewhere(acrossWorker(new Error('something else')))).toBe(true);
		const cancelled = acrossWorker(new DriftwoodError('stopped', 'cancelled'));
		expect(errorCode(cancelled)).toBe('cancelled');
		// Calling it twice does not wrap the handler twice.
		forwardErrorCodes();
		expect(errorCode(acrossWorker(new DriftwoodError('x', 'diverged')))).toBe('diverged');
		expect(errorCode({ code: 'not-a-code' })).toBeNull();
	});
});
