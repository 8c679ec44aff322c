import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	worker: { format: 'es' },
	preview: { port: 4173, strictPort: true },
	test: {
		include: ['src/**/*.spec.ts'],
		environment: 'node',
		testTimeout: 60_000,
		expect: { requireAssertions: true }
	}
});
