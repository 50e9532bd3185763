// Runs the suites registered on a mocha instance (the browser global `mocha`
// in the web entries, a `new Mocha()` in the node entry).
export function runMocha(runner: { run(fn: (failures: number) => void): unknown }): Promise<void> {
	return new Promise((resolve, reject) => {
		try {
			runner.run((failures) => {
				if (failures > 0) {
					reject(new Error(`${failures} test(s) failed.`));
				} else {
					resolve();
				}
			});
		} catch (err) {
			console.error(err);
			reject(err);
		}
	});
}
