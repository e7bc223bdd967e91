import { z } from 'zod';
import { ID_PATTERN } from '../../../../libs/contracts/src';
import { filterValue } from '../common/validation';

export const idSchema = (what: string) =>
  z.string().regex(ID_PATTERN, `must be a ${what} id: letters, digits, '.', '_' or '-', up to 64 characters`);
const name = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const isoDate = z.iso.date('must be a date YYYY-MM-DD');
const personId = z.string().trim().min(1).max(100, 'must be at most 100 characters');

export const createAccountSchema = z.strictObject({
  id: idSchema('account'),
  name,
  type: z.enum(['customer', 'partner'], 'must be customer or partner'),
  plan: z.string().min(1).max(32),
  supportCenter: z.string().min(1).max(32),
  contractStart: isoDate,
  tamId: personId.nullable().optional(),
  partnerId: idSchema('partner account').nullable().optional(),
});
export type CreateAccountBody = z.infer<typeof createAccountSchema>;

export const patchAccountSchema = z
  .strictObject({
    name: name.optional(),
    plan: z.string().min(1).max(32).optional(),
    supportCenter: z.string().min(1).max(32).optional(),
    contractStart: isoDate.optional(),
    tamId: personId.nullable().optional(),
    partnerId: idSchema('partner account').nullable().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'must change at least one field', path: [] });
export type PatchAccountBody = z.infer<typeof patchAccountSchema>;

export const registerContactSchema = z.strictObject({
  contactId: idSchema('contact').optional(),
  name,
  email: z.email('must be an email address').max(254, 'must be at most 254 characters'),
  phone: z
    .string()
    .regex(/^\+?[0-9 ()-]{6,20}$/, 'must be a phone number: digits, spaces, ( ) - and an optional leading +')
    .nullable()
    .optional(),
});
export type RegisterContactBody = z.infer<typeof registerContactSchema>;

export const listAccountsQuerySchema = z.strictObject({
  plan: filterValue(32).optional(),
  center: filterValue(32).optional(),
  tam: filterValue(100).optional(),
  type: z.enum(['customer', 'partner']).optional(),
  pageSize: z.coerce.number().int('must be a whole number').min(1, 'must be 1 to 100').max(100, 'must be 1 to 100').default(50),
  pageToken: z.string().max(2000).optional(),
});
