import { z } from 'zod';
import { CalendarSchema, ClosedDaySchema } from '../calendars/calendar.schemas';
import { component } from '../common/schema-registry';
import { ChannelSchema, CoverageSchema } from '../common/shapes';

const perSeverity = <T extends z.ZodType>(value: T) => z.object({ sev1: value, sev2: value, sev3: value, sev4: value });

export const PlanSchema = component(
  'Plan',
  z.object({
    id: z.string(),
    name: z.string(),
    features: z.object({
      productUpgrades: z.boolean(),
      channels: z.array(ChannelSchema),
      remoteSession: z.boolean(),
      maxContacts: z.int(),
      healthChecks: z.object({ remote: z.boolean(), onsite: z.boolean() }),
      tam: z.boolean(),
    }),
    coverage: perSeverity(CoverageSchema),
    targets: perSeverity(z.string().describe('IHR target as a duration, e.g. 4h or 1h30m')),
  }),
);

export const PlansSchema = component('Plans', z.object({ policyVersion: z.string(), plans: z.array(PlanSchema) }));

export const SupportCenterSchema = component(
  'SupportCenter',
  z.object({
    id: z.string(),
    name: z.string(),
    zone: z.string(),
    weekly: CalendarSchema.shape.weekly.unwrap(),
    holidays: CalendarSchema.shape.holidays.unwrap().nullable(),
    closures: z.array(ClosedDaySchema).describe('days a weekday is closed in the next 12 months (holidays, closures)'),
  }),
);

export const SupportCentersSchema = component(
  'SupportCenters',
  z.object({ policyVersion: z.string(), supportCenters: z.array(SupportCenterSchema) }),
);
