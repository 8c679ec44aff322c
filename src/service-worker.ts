/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
// Precaches the whole build so that after one visit the studio loads and works offline. A new
// version installs beside the old one and waits until the page asks it to take over.
import { build, files, prerendered, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `driftwood-${version}`;
const SHELL = '/';
const PRECACHE = Array.from(new Set([...build, ...files, ...prerendered, SHELL]));
const PRECACHED = new Set(PRECACHE);

sw.addEventListener('install', (event) => {
	event.waitUntil(
		caches.open(CACHE).then(async (cache) => {
			await cache.addAll(PRECACHE);
			await cacheWorkerImports(cache);
		})
	);
});

/** Build files a worker script loads that SvelteKit's list omits: its lazy chunks, nested workers. */
const WORKER_FILES = /[\w./-]*\/_app\/immutable\/workers\/[\w-]+\.js|\.\/(?:chunks\/)?[\w-]+\.js/g;
/** Where those files live: served from the cache like the precached files. */
const WORKERS = '/_app/immutable/workers/';

/**
 * Caches what the workers load beyond SvelteKit's list (which names only the scripts the page
 * starts): the chunks they import lazily (tfjs backends, decompressors) and the fold workers
 * the train worker starts, found in the scripts' text, following each file found.
 */
async function cacheWorkerImports(cache: Cache): Promise<void> {
	const seen = new Set<string>();
	let next = PRECACHE.filter((path) => path.includes(WORKERS));
	while (next.length) {
		const found: string[] = [];
		for (const path of next) {
			if (seen.has(path)) continue;
			seen.add(path);
			const response = await cache.match(path);
			if (!response) continue;
			const base = new URL(path, sw.location.origin);
			for (const reference of (await response.text()).match(WORKER_FILES) ?? []) {
				const url = new URL(reference, base);
				if (url.origin === sw.location.origin && url.pathname.includes(WORKERS))
					found.push(url.pathname);
			}
		}
		next = [...new Set(found)].filter((path) => !seen.has(path) && !PRECACHED.has(path));
		// One by one, each allowed to fail: a name read from a script's text may not be a file.
		await Promise.all(next.map((path) => cache.add(path).catch(() => undefined)));
	}
}

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) =>
				Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key)))
			)
	);
});

sw.addEventListener('message', (event) => {
	if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void sw.skipWaiting();
});

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	if (PRECACHED.has(url.pathname) || url.pathname.includes(WORKERS)) {
		event.respondWith(fromCache(url.pathname).then((hit) => hit ?? fetch(request)));
		return;
	}
	if (request.mode === 'navigate') {
		// Every route is the same client-side shell (ssr = false): serve it when the network is gone.
		event.respondWith(
			fetch(request).catch(async () => (await fromCache(SHELL)) ?? Response.error())
		);
	}
});

async function fromCache(path: string): Promise<Response | undefined> {
	const cache = await caches.open(CACHE);
	return cache.match(path);
}
