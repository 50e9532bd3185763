/**
 * node:test reporter for the mutation run (scripts/mutation-tests.mjs): silent, and exits with
 * status 1 at the first failing test, which is all Stryker's command runner needs to count a
 * mutant as killed. Failing `todo` tests (known bugs) do not count, as in `npm test`. With
 * FLOWLOG_MUTATION_VERBOSE set it names the failing test.
 */
export default async function* bailAtFirstFailure(source) {
  for await (const event of source) {
    if (event.type === 'test:fail' && !event.data.todo && !event.data.skip) {
      if (process.env.FLOWLOG_MUTATION_VERBOSE) {
        const error = event.data.details?.error;
        process.stderr.write(`killed by: ${event.data.name} (${event.data.file ?? ''})\n${error?.cause?.message ?? error?.message ?? ''}\n`);
      }
      process.exit(1);
    }
  }
  yield '';
}
