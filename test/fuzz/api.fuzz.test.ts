import { runFuzz } from './run-fuzz';

/**
 * The API fuzz run in CI: schemathesis against the live API's /openapi.json as every test caller (all roles
 * and bindings, plus no key), fuzzing phase with a bounded example count, plus the coverage phase as admin (the
 * caller that reaches every operation); `npm run fuzz` runs all phases for every caller with more examples. Fails on
 * any 5xx and on any 4xx that is not problem+json.
 * FUZZ_EXAMPLES overrides the example count.
 */
jest.setTimeout(600_000);

it('answers every generated request without a 5xx, every 4xx as problem+json, for every caller', async () => {
  const result = await runFuzz({
    examples: Number(process.env.FUZZ_EXAMPLES ?? 10),
    phases: 'fuzzing',
    coverageFor: ['admin'],
  });
  const failed = result.runs.filter((r) => r.exitCode !== 0);
  if (failed.length > 0) {
    throw new Error(
      failed
        .map((r) => `as ${r.caller} (exit ${r.exitCode}):\n${r.output.split('=== FAILURES ===')[1] ?? r.output}`)
        .join('\n\n')
        .slice(0, 20_000),
    );
  }
  expect(result.runs.length).toBe(7);
});
