/** Runs the suites registered on a mocha instance and rejects when any test failed. */
export function runMocha(runner: { run(done: (failures: number) => void): unknown }): Promise<void> {
  return new Promise((resolve, reject) => {
    try {
      runner.run((failures) => (failures > 0 ? reject(new Error(`${failures} end-to-end test(s) failed.`)) : resolve()));
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
