import { readFileSync } from 'node:fs';

/** Prints how many answers the run checked against the OpenAPI document (and skipped as non-JSON). */
export default async function globalTeardown(): Promise<void> {
  const file = process.env.CONTRACT_REPORT_FILE;
  if (!file) return;
  let validated = 0;
  let skipped = 0;
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const [v, s] = line.split(' ').map(Number);
    validated += v;
    skipped += s;
  }
  process.stderr.write(
    `\ncontract: ${validated} responses validated against the OpenAPI document (${skipped} non-JSON skipped)\n`,
  );
}
