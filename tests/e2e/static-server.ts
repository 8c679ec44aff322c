import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript',
	'.css': 'text/css',
	'.json': 'application/json',
	'.webmanifest': 'application/manifest+json',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.csv': 'text/csv',
	'.wasm': 'application/wasm'
};

/**
 * Serves a built studio folder the way a static host does: files as they are, `<route>.html`
 * for prerendered routes, `200.html` for the rest. For tests that change the deployed files.
 */
export function serveStatic(root: string, port: number): Promise<Server> {
	const server = createServer((request, response) => {
		const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
		const candidates = [
			join(root, path),
			join(root, `${path}.html`),
			join(root, path, 'index.html')
		];
		const file =
			candidates.find((c) => c.startsWith(root) && existsSync(c) && statSync(c).isFile()) ??
			join(root, '200.html');
		response.writeHead(200, {
			'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
			'cache-control': 'no-cache'
		});
		createReadStream(file).pipe(response);
	});
	return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
