import { transferHandlers } from 'comlink';
import { errorCode } from '../core/errors';

/**
 * comlink sends a thrown Error's name, message and stack, and rebuilds an Error with every field
 * it was sent. Adding the `code` of a DriftwoodError here makes it arrive on the page, where
 * `errorCode()` reads it. Each worker entry calls this once before `expose`.
 */
export function forwardErrorCodes(): void {
	const original = transferHandlers.get('throw');
	if (!original || (original as { driftwood?: true }).driftwood) return;
	transferHandlers.set('throw', {
		canHandle: original.canHandle,
		serialize(thrown: unknown) {
			const [serialized, transferables] = original.serialize(thrown);
			const code = errorCode((thrown as { value?: unknown }).value);
			const message = serialized as { isError?: boolean; value?: Record<string, unknown> };
			if (code && message.isError && message.value) message.value.code = code;
			return [serialized, transferables];
		},
		deserialize: original.deserialize,
		driftwood: true
	} as typeof original);
}
