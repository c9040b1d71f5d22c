// A jest reporter for `npm test` (scripts/run-jest.mjs): after jest's own summary, one line with the counts
// CI logs are read for — "tests: N passed, N failed, N skipped" — from the results in memory, so no report
// file is written (jest would print the path of a file the runner deletes again).
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`\ntests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`);
  }
}

module.exports = SummaryReporter;
