import { IANAZone } from 'luxon';
import { z } from 'zod';
import { CENTER_ROLES } from '../../policy/src/schema';

/** Ids of TAMs as accounts store them (`tamId`); the same characters the account API accepts. */
export const PERSON_ID = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}$/;
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

const isLocale = (value: string): boolean => {
  try {
    return Intl.getCanonicalLocales(value).length === 1 && Intl.DateTimeFormat.supportedLocalesOf([value]).length === 1;
  } catch {
    return false;
  }
};

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/**
 * A chat destination: a Slack incoming webhook or a Teams Workflows webhook. Either the URL itself
 * or, better (anyone holding such a URL can post to the channel), the environment variable holding it.
 */
export const chatDestinationSchema = z
  .strictObject({
    kind: z.enum(['slack', 'teams'], { error: 'must be slack or teams' }),
    url: httpUrl.optional(),
    urlEnv: z.string().regex(ENV_NAME, 'must be an environment variable name').optional(),
  })
  .refine((chat) => (chat.url === undefined) !== (chat.urlEnv === undefined), {
    message: 'give exactly one of url and urlEnv',
  });

export const personSchema = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty'),
  email: z.email({ error: 'must be an email address' }),
  zone: z
    .string()
    .refine((zone) => IANAZone.isValidZone(zone), { message: 'must be an IANA time zone such as Europe/Helsinki' }),
  locale: z.string().refine(isLocale, { message: 'must be a BCP 47 locale such as en-GB' }),
  chat: chatDestinationSchema.optional(),
});

/**
 * `config/people.yaml`: who the TAMs are (by the id accounts store as `tamId`) and who holds each
 * role at each support center. Centers must exist in the policy (checked by `buildDirectory`).
 */
export const directorySchema = z.strictObject({
  tams: z
    .record(z.string().regex(PERSON_ID, 'must be a person id (letters, digits, . _ @ + -)'), personSchema)
    .default({}),
  centers: z.record(z.string(), z.partialRecord(z.enum(CENTER_ROLES), personSchema)).default({}),
});

export type ChatDestination = z.infer<typeof chatDestinationSchema>;
export type Person = z.infer<typeof personSchema>;
export type DirectoryDocument = z.infer<typeof directorySchema>;
export type CenterRole = (typeof CENTER_ROLES)[number];
