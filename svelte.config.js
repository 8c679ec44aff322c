import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// A static SPA: every route is prerendered as an empty shell, `index.html` is the fallback.
		adapter: adapter({ fallback: '200.html', strict: true }),
		// Registered by hand (src/lib/pwa.ts) so that a waiting update is shown, not applied silently.
		serviceWorker: { register: false },
		// Absolute asset paths: the offline shell is served for every route, /data/<id> included.
		paths: { relative: false },
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self', 'wasm-unsafe-eval'],
				'worker-src': ['self'],
				// Svelte transitions and Observable Plot set inline style attributes.
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self']
			}
		}
	}
};

export default config;
