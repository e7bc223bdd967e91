import { ArgumentMetadata } from '@nestjs/common';
import { z } from 'zod';
import { incidentIdSchema, listIncidentsQuerySchema, openIncidentSchema } from '../../incidents/incident.schemas';
import { Problem } from '../problem';
import { filterValue, idempotencyKeySchema } from '../validation';
import { ZodValidationPipe } from './zod-validation.pipe';

const body: ArgumentMetadata = { type: 'body' };
const query: ArgumentMetadata = { type: 'query' };
const idParam: ArgumentMetadata = { type: 'param', data: 'id' };

/** The problem a pipe throws (fails when it passes). */
function refused(pipe: ZodValidationPipe<z.ZodType>, value: unknown, metadata: ArgumentMetadata): Problem {
  try {
    pipe.transform(value, metadata);
  } catch (error) {
    if (error instanceof Problem) return error;
    throw error;
  }
  throw new Error('expected a 400 problem');
}

const validIncident = {
  accountId: 'acme',
  severity: 2,
  priority: 2,
  channel: 'portal',
  product: 'Engine',
  productVersion: '1.0',
  summary: 'Down',
  description: 'It is down',
};

describe('ZodValidationPipe', () => {
  it('hands the handler the parsed value: coerced, with defaults', () => {
    const pipe = new ZodValidationPipe(listIncidentsQuerySchema);
    expect(pipe.transform({ severity: '2' }, query)).toMatchObject({ severity: 2 });
    expect(new ZodValidationPipe(openIncidentSchema).transform(validIncident, body)).toEqual(validIncident);
  });

  it('answers 400 problem+json naming every bad field of a body with its rule', () => {
    const bad = { ...validIncident, severity: 7, channel: 'fax', accountId: undefined, colour: 'red' };
    const problem = refused(new ZodValidationPipe(openIncidentSchema), bad, body);
    expect(problem.status).toBe(400);
    expect(problem.title).toBe('Invalid request');
    expect(problem.detail).toBe('The request does not match the schema.');
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        { field: 'colour', rule: 'unknown', message: 'is not a known field' },
        { field: 'accountId', rule: 'required', message: 'is required' },
        expect.objectContaining({ field: 'severity', rule: 'max' }),
        { field: 'channel', rule: 'enum', message: 'must be one of portal, email, phone' },
      ]),
    );
    expect(problem.errors).toHaveLength(4);
  });

  it("names a body that is not an object 'body', as before", () => {
    expect(refused(new ZodValidationPipe(openIncidentSchema), 'text', body).errors).toEqual([
      expect.objectContaining({ field: 'body', rule: 'type' }),
    ]);
  });

  it('names a path parameter by its name, and a query parameter by its key', () => {
    expect(refused(new ZodValidationPipe(incidentIdSchema), 'not-an-id', idParam).errors).toEqual([
      { field: 'id', rule: 'format', message: 'must be an incident id such as INC-7F3A9C21B4E0' },
    ]);
    const filter = new ZodValidationPipe(z.strictObject({ plan: filterValue(32).optional() }));
    expect(refused(filter, { plan: 'a\u0000b' }, query).errors).toEqual([
      { field: 'plan', rule: 'noControlCharacters', message: 'must not contain control characters' },
    ]);
    expect(refused(filter, { plan: ['a', 'b'] }, query).errors).toEqual([
      { field: 'plan', rule: 'type', message: 'must be given once' },
    ]);
  });

  it('names nested fields with their path', () => {
    const pipe = new ZodValidationPipe(z.strictObject({ dates: z.array(z.iso.date('must be a date')) }));
    expect(refused(pipe, { dates: ['2026-01-01', 'soon'] }, body).errors).toEqual([
      { field: 'dates[1]', rule: 'format', message: 'must be a date' },
    ]);
  });

  it('names the part after `field` when the request part has no name (a header read by a custom decorator)', () => {
    const pipe = new ZodValidationPipe(idempotencyKeySchema, 'Idempotency-Key');
    expect(pipe.transform(undefined, { type: 'custom' })).toBeUndefined();
    expect(refused(pipe, '', { type: 'custom' }).errors).toEqual([
      { field: 'Idempotency-Key', rule: 'min', message: 'must not be empty' },
    ]);
  });
});
