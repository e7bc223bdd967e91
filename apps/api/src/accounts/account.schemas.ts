import { z } from 'zod';
import { AccountChange, AccountRecord, Contact, ID_PATTERN } from '../../../../libs/contracts/src';
import { component } from '../common/schema-registry';
import {
  actor,
  assertSame,
  instant,
  isoDate as isoDay,
  pageOf,
  pageQuery,
  Same,
  workflowLogPage,
  workflowLogPageQuery,
} from '../common/shapes';
import { filterValue } from '../common/validation';

export const idSchema = (what: string) =>
  z.string().regex(ID_PATTERN, `must be a ${what} id: letters, digits, '.', '_' or '-', up to 64 characters`);
/** The `:id` of an account route. */
export const accountIdSchema = idSchema('account');
const name = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const isoDate = z.iso.date('must be a date YYYY-MM-DD');

const personId = z.string().trim().min(1).max(100, 'must be at most 100 characters');

export const createAccountSchema = component(
  'CreateAccountRequest',
  z.strictObject({
    id: idSchema('account'),
    name,
    type: z.enum(['customer', 'partner'], 'must be customer or partner'),
    plan: z.string().min(1).max(32),
    supportCenter: z.string().min(1).max(32),
    contractStart: isoDate,
    tamId: personId.nullable().optional(),
    partnerId: idSchema('partner account').nullable().optional(),
  }),
);
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
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: 'must change at least one field',
    path: [],
  });
export type PatchAccountBody = z.infer<typeof patchAccountSchema>;

export const registerContactSchema = component(
  'RegisterContactRequest',
  z.strictObject({
    contactId: idSchema('contact').optional(),
    name,
    email: z.email('must be an email address').max(254, 'must be at most 254 characters'),
    phone: z
      .string()
      .regex(/^\+?[0-9 ()-]{6,20}$/, 'must be a phone number: digits, spaces, ( ) - and an optional leading +')
      .nullable()
      .optional(),
  }),
);
export type RegisterContactBody = z.infer<typeof registerContactSchema>;

export const listAccountsQuerySchema = z.strictObject({
  plan: filterValue(32).optional(),
  center: filterValue(32).optional(),
  tam: filterValue(100).optional(),
  type: z.enum(['customer', 'partner']).optional(),
  ...pageQuery,
});

// --- Answers -------------------------------------------------------------------------------

export const AccountTypeSchema = component('AccountType', z.enum(['customer', 'partner']));

export const AccountSchema = component(
  'Account',
  z.object({
    accountId: z.string(),
    name: z.string(),
    type: AccountTypeSchema,
    plan: z.string(),
    supportCenter: z.string(),
    contractStart: isoDay.describe('YYYY-MM-DD: the contract year runs from its anniversary'),
    tamId: z.string().nullable(),
    partnerId: z.string().nullable().describe('the partner account acting for this customer, if any'),
    createdAt: instant,
    createdBy: actor,
  }),
);
assertSame<Same<z.infer<typeof AccountSchema>, AccountRecord>>();

export const ContactSchema = component(
  'Contact',
  z.object({
    contactId: z.string(),
    name: z.string(),
    email: z.string(),
    phone: z.string().nullable(),
    registeredAt: instant,
    registeredBy: actor,
  }),
);
assertSame<Same<z.infer<typeof ContactSchema>, Contact>>();

export const AccountChangeSchema = component(
  'AccountChange',
  z.object({
    at: instant,
    actor,
    field: z.enum(['name', 'plan', 'supportCenter', 'contractStart', 'tamId', 'partnerId', 'contacts']),
    from: z.unknown().describe('the value before (contacts: the removed contact id)'),
    to: z.unknown().describe('the value after (contacts: the added contact id)'),
  }),
);
assertSame<Same<z.infer<typeof AccountChangeSchema>['field'], AccountChange['field']>>();

export const AccountViewSchema = component(
  'AccountView',
  z.object({
    account: AccountSchema,
    contacts: z.array(ContactSchema),
    changes: z
      .array(AccountChangeSchema)
      .describe('the last changes (20 at most, oldest first); every change: GET /v1/accounts/{id}/changes'),
    changeCount: z.int().min(0).optional().describe('changes after creation in all (accounts whose log is paged)'),
    degraded: z.literal(true).optional().describe('read from the memo because no worker answered: `changes` is empty'),
  }),
);

/** GET /v1/accounts/:id/changes: the whole change log, oldest first, page by page. */
export const accountChangesQuerySchema = workflowLogPageQuery;
export type AccountChangesQuery = z.infer<typeof accountChangesQuerySchema>;

export const AccountChangesPageSchema = component(
  'AccountChangesPage',
  workflowLogPage(AccountChangeSchema, 'changes after creation in all'),
);

export const AccountListItemSchema = component(
  'AccountListItem',
  AccountSchema.extend({ contacts: z.int().min(0).describe('how many contacts are registered') }),
);
export const AccountPageSchema = component('AccountPage', pageOf(AccountListItemSchema));
