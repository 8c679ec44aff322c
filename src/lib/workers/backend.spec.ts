import { describe, expect, it } from 'vitest';
import { watchDeviceLoss } from './backend';

describe('watchDeviceLoss', () => {
	it('reports a lost WebGPU device with its message', async () => {
		let lose!: (info: { reason: string; message: string }) => void;
		const lost = new Promise<{ reason: string; message: string }>((resolve) => (lose = resolve));
		const watch = watchDeviceLoss('webgpu', { device: { lost } });
		expect(watch.reason()).toBeNull();
		lose({ reason: 'unknown', message: 'GPU process crashed' });
		await lost;
		await Promise.resolve();
		expect(watch.reason()).toBe('GPU process crashed');
	});

	it('reports a lost WebGL context', () => {
		let listener: (() => void) | null = null;
		const canvas = { addEventListener: (_: string, l: () => void) => (listener = l) };
		const watch = watchDeviceLoss('webgl', { gpgpu: { gl: { canvas } } });
		expect(watch.reason()).toBeNull();
		listener!();
		expect(watch.reason()).toBe('the WebGL context was lost');
	});
});
