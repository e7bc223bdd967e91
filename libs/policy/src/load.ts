import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { Calendar, CalendarConfigError, compileCalendar } from '../../business-time/src';
import { secretProblem } from '../../webhooks/src';
import { Policy } from './policy';
import { appConfig } from '../../settings/src/config';
import { policySchema } from './schema';

export interface PolicyIssue {
  path: string;
  message: string;
}

/** Thrown when the policy file cannot be used; the message lists every issue as `path: rule`. */
export class PolicyError extends Error {
  constructor(
    readonly source: string,
    readonly issues: PolicyIssue[],
  ) {
    super(`invalid SLA policy ${source}:\n${issues.map((i) => `  ${i.path || '(root)'}: ${i.message}`).join('\n')}`);
    this.name = 'PolicyError';
  }
}

export const DEFAULT_POLICY_PATH = 'config/sla-policy.yaml';

/** `plans.SP2.targets.sev1`, `supportCenters.emea.calendar.weekly.mon[0]` */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((text, part) => {
    if (typeof part === 'number') return `${text}[${part}]`;
    return text ? `${text}.${String(part)}` : String(part);
  }, '');
}

/** Stable JSON (sorted keys) so the version does not depend on key order or YAML formatting. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function policyVersion(document: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(document)).digest('hex').slice(0, 16)}`;
}

/** Validates a parsed policy document; `source` names it in errors. */
export function buildPolicy(raw: unknown, source = 'policy'): Policy {
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) {
    throw new PolicyError(
      source,
      parsed.error.issues.map((issue: z.core.$ZodIssue) => ({
        path: formatPath(issue.path),
        message: issue.message,
      })),
    );
  }
  const issues: PolicyIssue[] = [];
  const calendars = new Map<string, Calendar>();
  for (const [centerId, center] of Object.entries(parsed.data.supportCenters)) {
    try {
      calendars.set(centerId, compileCalendar(center.calendar));
    } catch (error) {
      if (!(error instanceof CalendarConfigError)) throw error;
      const prefix = `supportCenters.${centerId}.calendar`;
      issues.push(...error.issues.map((i) => ({ path: i.path ? `${prefix}.${i.path}` : prefix, message: i.message })));
    }
  }
  // A secret the official Standard Webhooks libraries reject would leave every receiver unable to
  // verify: refuse it at load, naming the subscriber (a variable not set yet is reported at delivery).
  parsed.data.subscribers.forEach((subscriber, i) => {
    // Chat subscribers (Slack, Teams) post to an incoming-webhook URL and sign nothing.
    if (subscriber.kind !== 'webhook') return;
    const secret = process.env[subscriber.secretEnv];
    const problem = secret === undefined ? undefined : secretProblem(secret);
    if (problem)
      issues.push({
        path: `subscribers[${i}].secretEnv`,
        message: `subscriber ${subscriber.id}: the secret in ${subscriber.secretEnv} ${problem}`,
      });
  });
  if (issues.length > 0) throw new PolicyError(source, issues);
  return new Policy(parsed.data, policyVersion(parsed.data), calendars);
}

/** Reads, parses and validates the policy file (`SLA_POLICY_PATH`, else `config/sla-policy.yaml`). */
export function loadPolicy(path = appConfig().SLA_POLICY_PATH ?? DEFAULT_POLICY_PATH): Policy {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PolicyError(path, [{ path: '', message: `cannot read file: ${(error as Error).message}` }]);
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new PolicyError(
      path,
      doc.errors.map((e) => ({ path: '', message: `YAML: ${e.message}` })),
    );
  }
  return buildPolicy(doc.toJS(), path);
}
