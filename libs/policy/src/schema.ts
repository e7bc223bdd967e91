import { z } from 'zod';
import { isPositiveDuration } from './duration';

import { CENTER_ROLES, CHANNELS, ROLES, SEVERITIES, WEEKDAYS } from '../../contracts/src/vocabulary';

// The vocabulary is defined in contracts; named here too because policy users import it from the policy.
export { CENTER_ROLES, CHANNELS, ROLES, SEVERITIES, WEEKDAYS };
export type { CenterRole, Channel, Role, Severity } from '../../contracts/src/vocabulary';

const duration = z
  .string({ error: 'must be a duration such as 4h or 1h30m' })
  .refine(isPositiveDuration, { message: 'must be a positive duration such as 4h or 1h30m' });
const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'must be an identifier (letters, digits, _ and -)');
const severityKey = z.union(SEVERITIES.map((s) => z.literal(s)));
const perSeverity = <T extends z.ZodType>(value: T) =>
  z.strictObject({ sev1: value, sev2: value, sev3: value, sev4: value });

const features = z.strictObject({
  productUpgrades: z.boolean(),
  channels: z.array(z.enum(CHANNELS)).min(1, 'must list at least one channel'),
  remoteSession: z.boolean(),
  maxContacts: z.number().int().positive('must be a positive whole number'),
  healthChecks: z.strictObject({ remote: z.boolean(), onsite: z.boolean() }),
  tam: z.boolean(),
});

const plan = z.strictObject({
  name: z.string().min(1),
  features,
  coverage: perSeverity(z.enum(['24x7', 'business-hours'])),
  targets: perSeverity(duration),
});

const wallTime = z.string().regex(/^\d{2}:\d{2}$/, 'must be a wall time HH:mm');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

/** Shape only; `compileCalendar` of libs/business-time checks the meaning (zone, overlaps, countries). */
const calendar = z.strictObject({
  zone: z.string().min(1),
  alwaysOpen: z.boolean().optional(),
  weekly: z.partialRecord(z.enum(WEEKDAYS), z.array(z.string())).optional(),
  holidays: z
    .strictObject({
      country: z.string().min(2),
      state: z.string().optional(),
      region: z.string().optional(),
      types: z.array(z.enum(['public', 'bank', 'school', 'optional', 'observance'])).optional(),
      extra: z.array(z.strictObject({ rule: z.string().min(1), name: z.string().min(1) })).optional(),
    })
    .optional(),
  closures: z
    .array(
      z.strictObject({
        date: isoDate,
        from: wallTime.optional(),
        to: wallTime.optional(),
        reason: z.string().optional(),
      }),
    )
    .optional(),
  openings: z
    .array(z.strictObject({ date: isoDate, from: wallTime, to: wallTime, reason: z.string().optional() }))
    .optional(),
});

const roleAddresses = z.partialRecord(z.enum(CENTER_ROLES), z.string().min(1));

const supportCenter = z.strictObject({
  name: z.string().min(1),
  calendar,
  /**
   * Each role's mailbox or queue name: the owner of queue-owned tasks, and the address notified when
   * the people directory (config/people.yaml, with name, zone, locale and chat) names nobody for it.
   */
  roles: roleAddresses.default({}),
});

const ladderStep = z.strictObject({
  id,
  event: z.string().regex(/^[a-z_]+\.[a-z_]+$/, 'must be an event name such as ihr.warning'),
  notify: z.array(z.enum(ROLES)).min(1, 'must notify at least one role'),
  at: z.union([
    z.strictObject({ percentOfTarget: z.number().gt(0, 'must be above 0').max(100, 'must be at most 100') }),
    z.strictObject({ afterBreach: duration }),
  ]),
  severities: z.array(severityKey).optional(),
});

const escalation = z.strictObject({
  ladder: z.array(ladderStep).min(1),
  criticalOpen: z.strictObject({
    event: z.string().min(1),
    notify: z.array(z.enum(ROLES)).min(1),
    plans: z.array(z.string()),
    severities: z.array(severityKey),
  }),
  overrides: z
    .array(
      z.strictObject({
        plans: z.array(z.string()).optional(),
        severities: z.array(severityKey).optional(),
        ladder: z.array(ladderStep).min(1),
      }),
    )
    .default([]),
});

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name');
const events = z.array(z.string().min(1)).min(1);

/** A Standard Webhooks endpoint (the default kind): signed JSON for integrations. */
const webhookSubscriber = z.strictObject({
  id,
  kind: z.literal('webhook').default('webhook'),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  /** Name of the environment variable holding the signing secret (never the secret itself). */
  secretEnv: envName,
  events,
});

/**
 * A chat channel: a Slack incoming webhook (Block Kit) or a Teams Workflows webhook (Adaptive Card).
 * The URL is a credential (anyone holding it can post), so only the variable holding it is named here.
 */
const chatSubscriber = z.strictObject({
  id,
  kind: z.enum(['slack', 'teams']),
  urlEnv: envName,
  events,
});

const subscriber = z.union([chatSubscriber, webhookSubscriber], {
  error:
    'must be a webhook subscriber (id, url, secretEnv, events) ' +
    'or a chat subscriber (id, kind: slack|teams, urlEnv, events)',
});

/**
 * Recurring account reviews of the TAM ("hosts regular meetings to ensure overall account health"):
 * a task at the start of every `everyMonths`-month period of the contract year, due after
 * `dueBusinessDays` business days of the support center. They run in the health-check year
 * workflow, so each plan listed must include a health check (checked below).
 */
export const ACCOUNT_REVIEWS_DEFAULT = { plans: ['SPE'], everyMonths: 3, dueBusinessDays: 10 };
const accountReviews = z
  .strictObject({
    plans: z.array(z.string()),
    everyMonths: z
      .number()
      .int('must be a whole number of months')
      .min(1, 'must be 1 to 12')
      .max(12, 'must be 1 to 12'),
    dueBusinessDays: z
      .number()
      .int('must be a whole number of business days')
      .min(1, 'must be 1 to 60')
      .max(60, 'must be 1 to 60'),
  })
  .default(() => ({ ...ACCOUNT_REVIEWS_DEFAULT, plans: [...ACCOUNT_REVIEWS_DEFAULT.plans] }));

export const policySchema = z
  .strictObject({
    plans: z.record(id, plan).refine((plans) => Object.keys(plans).length > 0, 'must define at least one plan'),
    severities: perSeverity(
      z.strictObject({ name: z.string().min(1), recommendedChannels: z.array(z.enum(CHANNELS)).min(1) }),
    ),
    supportCenters: z.record(id, supportCenter),
    escalation,
    subscribers: z.array(subscriber).default([]),
    accountReviews,
  })
  .superRefine((doc, ctx) => {
    const planIds = new Set(Object.keys(doc.plans));
    const checkPlans = (plans: string[] | undefined, path: (string | number)[]) =>
      plans?.forEach((p, i) => {
        if (!planIds.has(p)) ctx.addIssue({ code: 'custom', path: [...path, i], message: `unknown plan ${p}` });
      });
    checkPlans(doc.escalation.criticalOpen.plans, ['escalation', 'criticalOpen', 'plans']);
    doc.escalation.overrides.forEach((o, i) => checkPlans(o.plans, ['escalation', 'overrides', i, 'plans']));
    checkPlans(doc.accountReviews.plans, ['accountReviews', 'plans']);
    doc.accountReviews.plans.forEach((p, i) => {
      const checks = planIds.has(p) ? doc.plans[p].features.healthChecks : undefined;
      if (checks && !checks.remote && !checks.onsite) {
        ctx.addIssue({
          code: 'custom',
          path: ['accountReviews', 'plans', i],
          message: `plan ${p} includes no health checks: account reviews run in the health-check year workflow`,
        });
      }
    });
  });

export type PolicyDocument = z.infer<typeof policySchema>;
/** The policy document as written (YAML before validation fills defaults): what tests and benches edit. */
export type PolicyDocumentInput = z.input<typeof policySchema>;
export type PlanPolicy = PolicyDocument['plans'][string];
export type SupportCenterPolicy = PolicyDocument['supportCenters'][string];
export type LadderStepPolicy = z.infer<typeof ladderStep>;
export type SubscriberPolicy = PolicyDocument['subscribers'][number];
export type WebhookSubscriberPolicy = z.infer<typeof webhookSubscriber>;
export type ChatSubscriberPolicy = z.infer<typeof chatSubscriber>;
export type Coverage = PlanPolicy['coverage']['sev1'];
export type AccountReviewsPolicy = PolicyDocument['accountReviews'];
