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
	event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
});

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
	if (PRECACHED.has(url.pathname)) {
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
