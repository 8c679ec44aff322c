import { describe, expect, it } from 'vitest';
import { csvCell } from './csv-out';

describe('csvCell', () => {
	it('lets only a plain number start with - or +; every other formula start gets a quote mark', () => {
		for (const n of ['-1', '-1.5', '+2', '-0.5e-3', '12', '.5', '-.5']) expect(csvCell(n)).toBe(n);
		expect(csvCell("-1+cmd|' /C calc'!A0")).toBe("'-1+cmd|' /C calc'!A0");
		expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
		expect(csvCell('+1-1')).toBe("'+1-1");
		expect(csvCell('@x')).toBe("'@x");
		expect(csvCell('\tx')).toBe("'\tx");
		expect(csvCell('-2,3')).toBe(`"'-2,3"`);
		expect(csvCell('a "b"')).toBe('"a ""b"""');
		expect(csvCell('plain')).toBe('plain');
	});
});
