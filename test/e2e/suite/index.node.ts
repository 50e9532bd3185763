/** Entry of the end-to-end suite in desktop VS Code (@vscode/test-electron), on mocha's Node API. */
import Mocha from 'mocha';
import { runMocha } from './mochaRun';

export async function run(): Promise<void> {
  const runner = new Mocha({ ui: 'tdd', color: true, timeout: 30_000 });
  // Defines suite()/test() the way `addFile` would, then loads the bundled suite.
  runner.suite.emit('pre-require', globalThis, 'extension.test', runner);
  await import('./extension.test');
  await import('./conversations.test');
  await import('./filter.test');
  await import('./structure.test');
  await import('./columns.test');
  await import('./summary.test');
  return runMocha(runner);
}
