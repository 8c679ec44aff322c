import { describe, expect, it } from 'vitest';
import { chooseBackend } from './backend';

const wasm = { available: true, simd: true };

describe('chooseBackend', () => {
	it('puts a hardware WebGPU adapter first', () => {
		const choice = chooseBackend({
			webgpu: { available: true, fallbackAdapter: false, description: 'nvidia hopper' },
			wasm,
			webgl2: { available: true, renderer: 'NVIDIA H200' }
		});
		expect(choice.order).toEqual(['webgpu', 'wasm', 'webgl', 'cpu']);
	});

	it('never puts a software WebGPU adapter or SwiftShader WebGL ahead of WASM', () => {
		const fallback = chooseBackend({
			webgpu: { available: true, fallbackAdapter: true, description: '' },
			wasm,
			webgl2: { available: true, renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device))' }
		});
		expect(fallback.order).toEqual(['wasm', 'webgpu', 'webgl', 'cpu']);
		expect(fallback.reason).toMatch(/software one/);
		const swiftshader = chooseBackend({
			webgpu: { available: true, fallbackAdapter: false, description: 'google swiftshader' },
			wasm,
			webgl2: null
		});
		expect(swiftshader.backend).toBe('wasm');
	});

	it('falls back to CPU when nothing else exists', () => {
		const choice = chooseBackend({
			webgpu: null,
			wasm: { available: false, simd: false },
			webgl2: null
		});
		expect(choice).toMatchObject({ backend: 'cpu', order: ['cpu'] });
	});
});
