// Browser (web extension host) test entry: @vscode/test-web loads this bundle
// as extensionTestsPath and calls run(). mocha/mocha.js is mocha's browser build;
// it defines the global `mocha`. reporter undefined => mocha's default "spec"
// reporter, whose console.log output VS Code forwards to the test runner.
import 'mocha/mocha.js';
import { runMocha } from './mocha-run';

export async function run(): Promise<void> {
	mocha.setup({ ui: 'tdd', reporter: undefined, timeout: 20000 });
	await import('./hover.test');
	return runMocha(mocha);
}
