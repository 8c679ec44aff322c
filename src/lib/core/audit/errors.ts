import { DriftwoodError } from '../errors';

/** An audit the data cannot support, with what to do (code `audit`). */
export class AuditError extends DriftwoodError {
	constructor(message: string) {
		super(message, 'audit');
		this.name = 'AuditError';
	}
}
