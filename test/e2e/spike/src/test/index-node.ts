// Desktop (node extension host) test entry for @vscode/test-electron:
// same suites as index.ts, run with mocha's node API.
import Mocha from 'mocha';
import { runMocha } from './mocha-run';

export async function run(): Promise<void> {
	const m = new Mocha({ ui: 'tdd', color: true, timeout: 20000 });
	// Define suite()/test() globals the way `mocha.addFile` would, then load the suites.
	m.suite.emit('pre-require', globalThis, 'spike', m);
	await import('./hover.test');
	return runMocha(m);
}
