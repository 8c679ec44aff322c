#!/usr/bin/env node
// `npx driftwood …`: runs the CLI (the same src/lib/core the studio runs). It starts from the
// built JavaScript in dist/cli (made by `npm install` and `npm run build`: no TypeScript to
// compile at start-up) when that build is newer than every source file it was made from; else
// from the TypeScript source through tsx, so an edit is never run stale.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../../dist/cli/cli.js', import.meta.url));
const sources = ['../lib/core', '.'].map((dir) => fileURLToPath(new URL(dir, import.meta.url)));

/** The newest modification time of the files under `dirs`. @param {string[]} dirs */
function newest(dirs) {
	let time = 0;
	for (const dir of dirs)
		for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }))
			if (entry.isFile())
				time = Math.max(time, statSync(`${entry.parentPath}/${entry.name}`).mtimeMs);
	return time;
}

let cli;
if (existsSync(built) && statSync(built).mtimeMs >= newest(sources)) cli = await import(built);
else {
	const { register } = await import('tsx/esm/api');
	register();
	cli = await import('./cli.ts');
}
process.exitCode = await cli.main(process.argv.slice(2), process.stdout, process.stderr);
