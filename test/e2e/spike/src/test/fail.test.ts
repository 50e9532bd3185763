// Deliberately failing test, bundled only into dist/*/test/index-fail.js, to prove
// that the harness exits non-zero when a test fails.
suite('spike: deliberate failure', () => {
	test('this test fails on purpose', () => {
		throw new Error('deliberate failure (expected when running index-fail.js)');
	});
});

export {};
