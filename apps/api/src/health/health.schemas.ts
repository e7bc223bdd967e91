import { z } from 'zod';
import { component } from '../common/schema-registry';

export const LivenessSchema = component('Liveness', z.object({ status: z.literal('ok') }));
export const ReadinessSchema = component(
  'Readiness',
  z.object({ status: z.literal('ready'), temporal: z.object({ namespace: z.string() }) }),
);
