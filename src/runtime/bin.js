#!/usr/bin/env node
// `npx driftwood …`: runs the TypeScript CLI (the same src/lib/core the studio runs) through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli.ts');
process.exitCode = await main(process.argv.slice(2), process.stdout, process.stderr);
