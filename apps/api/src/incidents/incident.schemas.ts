import { z } from 'zod';
import { ID_PATTERN } from '../../../../libs/contracts/src';
import { filterValue } from '../common/validation';

const id = (what: string) => z.string().regex(ID_PATTERN, `must be a ${what} id (letters, digits, . _ -; up to 64)`);
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const level = z.int('must be a whole number').min(1, 'must be 1 to 4').max(4, 'must be 1 to 4');

/** Body of `POST /v1/incidents`. */
export const openIncidentSchema = z.strictObject({
  accountId: id('account'),
  /** Optional for customer keys bound to a contact: defaults to that contact. */
  contactId: id('contact').optional(),
  severity: level,
  priority: level,
  channel: z.enum(['portal', 'email', 'phone'], 'must be one of portal, email, phone'),
  product: text(100),
  productVersion: text(50),
  summary: text(200),
  description: text(20_000),
  environment: text(200).optional(),
  enteredAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 instant with offset, e.g. 2026-01-02T16:00:00+02:00' }).optional(),
  externalRef: text(128).optional(),
});
export type OpenIncidentBody = z.infer<typeof openIncidentSchema>;

export const incidentIdSchema = z.string().regex(/^INC-[A-Z0-9]{1,32}$/, 'must be an incident id such as INC-7F3A9C21B4E0');

/** Kinds that never count as a human response (rule 4); named so the client gets a clear 422. */
export const AUTOMATED_KINDS = ['acknowledgement', 'auto_reply', 'automated'] as const;

export const recordResponseSchema = z.strictObject({
  kind: z.enum(['solution', 'information_request', ...AUTOMATED_KINDS], 'must be solution or information_request'),
  /** Who responded; default: the calling key. */
  responder: text(200).optional(),
  respondedAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 instant with offset' }).optional(),
});

export const reclassifySchema = z.strictObject({
  severity: level,
  reason: text(2_000),
});

export const priorityChangeSchema = z.strictObject({ priority: level });

export const resolveSchema = z.strictObject({ summary: text(10_000) });

const isoInstant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 instant with offset' });

export const listIncidentsQuerySchema = z.strictObject({
  account: id('account').optional(),
  state: z.enum(['pending', 'met', 'breached', 'resolved'], 'must be pending, met, breached or resolved').optional(),
  severity: z.coerce.number().pipe(level).optional(),
  plan: filterValue(32).optional(),
  center: filterValue(32).optional(),
  dueBefore: isoInstant.optional(),
  dueAfter: isoInstant.optional(),
  open: z.enum(['true', 'false'], 'must be true or false').optional(),
  pageSize: z.coerce.number().int('must be a whole number').min(1, 'must be 1 to 100').max(100, 'must be 1 to 100').default(50),
  pageToken: z.string().max(2000).optional(),
});
export type ListIncidentsQuery = z.infer<typeof listIncidentsQuerySchema>;
