/**
 * The closing lines of `npm test` (scripts/test-all.mjs): one line per step, then
 * `tests: N passed, N failed` with `, N skipped` when tests were skipped. Only test suites (steps
 * with a counter) are counted: set-up, build, typecheck and lint are checks, and a failing check
 * is named on a line of its own. A suite that failed without reporting a failed test (it crashed)
 * counts as one failure.
 *
 * @param {{ step: { name: string, counter?: string }, ok: boolean, seconds: number, passed: number, failed: number, skipped?: number }[]} results
 * @param {number} stepCount steps planned (more than results when a required step failed)
 * @returns {{ lines: string[], exitCode: number, passed: number, failed: number, skipped: number }}
 */
export function summarise(results, stepCount) {
  const lines = [];
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const failedChecks = [];
  for (const { step, ok, seconds, passed: p, failed: f, skipped: k = 0 } of results) {
    const counts = [p + f > 0 ? `${p} passed, ${f} failed` : '', k > 0 ? `${k} skipped` : ''].filter(Boolean).join(', ');
    lines.push(`${ok ? 'ok  ' : 'FAIL'} ${step.name.padEnd(24)} ${seconds.toFixed(1).padStart(6)} s  ${counts}`);
    if (!step.counter) {
      if (!ok) failedChecks.push(step.name);
      continue;
    }
    passed += p;
    skipped += k;
    failed += ok ? f : Math.max(1, f);
  }
  const notRun = stepCount - results.length;
  if (notRun > 0) lines.push(`(${notRun} steps not run after a required step failed)`);
  if (failedChecks.length > 0) lines.push(`checks failed (not tests): ${failedChecks.join(', ')}`);
  lines.push(`tests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
  return { lines, exitCode: failed > 0 || notRun > 0 || failedChecks.length > 0 ? 1 : 0, passed, failed, skipped };
}
