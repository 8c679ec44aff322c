// `npm test` needs Debian's Chromium; Playwright cannot download browsers on these machines.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (!existsSync(CHROMIUM)) {
	console.log(`${CHROMIUM} is missing: installing Debian's chromium with apt…`);
	const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
	execSync(`${sudo}apt-get update -qq && ${sudo}apt-get install -y -qq chromium`, {
		stdio: 'inherit',
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
	});
	if (!existsSync(CHROMIUM)) {
		console.error(
			`Installing chromium did not provide ${CHROMIUM}; set CHROMIUM_PATH to a Chromium binary.`
		);
		process.exit(1);
	}
}
