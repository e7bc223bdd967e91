import { FieldError, Problem } from '../common/problem';
import { ZodValidationPipe } from '../common/pipes/zod-validation.pipe';
import type { z } from 'zod';

/** A body or query as the API validates it: through the pipe its handler uses. */
const parseOrThrow = <S extends z.ZodType>(schema: S, value: unknown) =>
  new ZodValidationPipe(schema).transform(value, { type: 'body' });
import { EXAMPLES } from './incident.examples';
import { listIncidentsQuerySchema, openIncidentSchema, reclassifySchema } from './incident.schemas';

/**
 * Issue 14, item 16: severities are 1-4. The upper bound was caught only by the fuzz run; these cases
 * fail deterministically if a bound moves (e.g. `max(5)`) or a fraction or a string gets through.
 */
function errorsOf(run: () => unknown): FieldError[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(Problem);
    expect((error as Problem).status).toBe(400);
    return (error as Problem).errors;
  }
  throw new Error('accepted');
}

const intake = (severity: unknown) => ({ ...EXAMPLES.openIncident, severity });
const reclassify = (severity: unknown) => ({ severity, reason: 'test' });

describe('severity is 1 to 4 (issue 14, item 16)', () => {
  const refused: Array<[string, unknown, string]> = [
    ['5 (one above the bound)', 5, 'max'],
    ['0 (one below the bound)', 0, 'min'],
    ['1.5 (a fraction)', 1.5, 'type'],
    ['"1" (a string)', '1', 'type'],
  ];

  describe.each([
    ['intake (POST /v1/incidents)', (s: unknown) => parseOrThrow(openIncidentSchema, intake(s))],
    ['reclassify (POST /v1/incidents/:id/severity)', (s: unknown) => parseOrThrow(reclassifySchema, reclassify(s))],
  ])('%s', (_where, parse) => {
    it.each(refused)('refuses %s as a 400 naming severity', (_name, severity, rule) => {
      expect(errorsOf(() => parse(severity))).toEqual([expect.objectContaining({ field: 'severity', rule })]);
    });

    it.each([1, 2, 3, 4])('accepts %s', (severity) => {
      expect(parse(severity)).toMatchObject({ severity });
    });
  });

  it('the list filter takes the same range (its value is a query string)', () => {
    expect(errorsOf(() => parseOrThrow(listIncidentsQuerySchema, { severity: '5' }))).toEqual([
      expect.objectContaining({ field: 'severity', rule: 'max' }),
    ]);
    expect(parseOrThrow(listIncidentsQuerySchema, { severity: '4' })).toMatchObject({ severity: 4 });
  });
});
