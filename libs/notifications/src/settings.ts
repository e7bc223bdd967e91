import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_TEMPLATES_DIR } from './templates';

/** Where notifications go and what they link to (environment, validated at start-up). */
export interface NotificationSettings {
  /** `smtp://` or `smtps://` URL of the relay (auth and TLS in the URL); email is off without it. */
  smtpUrl?: string;
  /** The From of every email (`Name <address>`): its domain also ends every Message-ID. */
  smtpFrom: string;
  /** Base URL of the API that links in messages point to. */
  publicBaseUrl?: string;
  /** Base URL of the Temporal UI, for links to the workflow. */
  temporalUiUrl?: string;
  namespace: string;
  templatesDir: string;
}

export const DEFAULT_FROM = 'Support SLA engine <sla-engine@vendor.example>';
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const envSchema = z.object({
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  SMTP_FROM: z
    .string()
    .regex(/^([^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, 'must be an address or Name <address>')
    .optional(),
  PUBLIC_BASE_URL: httpUrl.optional(),
  TEMPORAL_UI_URL: httpUrl.optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).optional(),
  NOTIFICATION_TEMPLATES_DIR: z.string().min(1).optional(),
});

/** Reads the notification variables; an invalid one stops start-up naming the variable and the rule. */
export function notificationSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): NotificationSettings {
  const value = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);
  const parsed = envSchema.safeParse({
    SMTP_URL: value(env.SMTP_URL),
    SMTP_FROM: value(env.SMTP_FROM),
    PUBLIC_BASE_URL: value(env.PUBLIC_BASE_URL),
    TEMPORAL_UI_URL: value(env.TEMPORAL_UI_URL),
    TEMPORAL_NAMESPACE: value(env.TEMPORAL_NAMESPACE),
    NOTIFICATION_TEMPLATES_DIR: value(env.NOTIFICATION_TEMPLATES_DIR),
  });
  if (!parsed.success) {
    throw new Error(
      `invalid notification settings:\n${parsed.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message}`).join('\n')}`,
    );
  }
  const v = parsed.data;
  return {
    smtpUrl: v.SMTP_URL,
    smtpFrom: v.SMTP_FROM ?? DEFAULT_FROM,
    publicBaseUrl: v.PUBLIC_BASE_URL?.replace(/\/+$/, ''),
    temporalUiUrl: v.TEMPORAL_UI_URL?.replace(/\/+$/, ''),
    namespace: v.TEMPORAL_NAMESPACE ?? 'default',
    templatesDir: resolve(v.NOTIFICATION_TEMPLATES_DIR ?? DEFAULT_TEMPLATES_DIR),
  };
}

/** The address part of a From (`sla@vendor.example` of `Support SLA <sla@vendor.example>`). */
export const addressOf = (from: string): string => /<([^>]+)>/.exec(from)?.[1] ?? from.trim();
