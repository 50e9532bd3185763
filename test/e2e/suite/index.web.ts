/**
 * Entry of the end-to-end suite in the web extension host (@vscode/test-web loads this bundle
 * and calls run()). mocha/mocha.js is mocha's browser build, which defines the global `mocha`.
 */
import 'mocha/mocha.js';
import { runMocha } from './mochaRun';

export async function run(): Promise<void> {
  mocha.setup({ ui: 'tdd', reporter: undefined, timeout: 30_000 });
  await import('./extension.test');
  await import('./conversations.test');
  await import('./filter.test');
  await import('./structure.test');
  await import('./columns.test');
  await import('./summary.test');
  return runMocha(mocha);
}
