// Same as index.ts plus a deliberately failing suite: proves non-zero exit.
import 'mocha/mocha.js';
import { runMocha } from './mocha-run';

export async function run(): Promise<void> {
	mocha.setup({ ui: 'tdd', reporter: undefined, timeout: 20000 });
	await import('./hover.test');
	await import('./fail.test');
	return runMocha(mocha);
}
