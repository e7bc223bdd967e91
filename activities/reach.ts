import { Policy } from '../libs/policy/src';
import { CenterRole } from '../libs/policy/src/schema';
import { centerRoles, chatUrl, isUnreached, PeopleDirectory } from '../libs/people/src';

/** Center roles the engine notifies: every ladder and critical-open role, the overdue copy, the task queue. */
export function notifiedCenterRoles(policy: Policy): CenterRole[] {
  const { ladder, criticalOpen, overrides } = policy.document.escalation;
  const roles = [...ladder, ...overrides.flatMap((o) => o.ladder)].flatMap((step) => step.notify);
  return [
    ...new Set([
      ...centerRoles([...roles, ...criticalOpen.notify]),
      'supportManager',
      'customerSuccess',
    ] as CenterRole[]),
  ];
}

/**
 * Roles at each center that no channel reaches (nobody holds them, or their holder has no email
 * while SMTP is off and no chat): the worker logs them at start-up, so a quiet escalation is known
 * before the first incident needs it. Subscribers of every event do not count: they are systems.
 */
export function unreachableRoles(
  policy: Policy,
  directory: PeopleDirectory,
  emailEnabled: boolean,
  env: NodeJS.ProcessEnv = process.env,
): Array<{ center: string; role: CenterRole; reason: string }> {
  const found: Array<{ center: string; role: CenterRole; reason: string }> = [];
  for (const center of policy.centerIds()) {
    for (const role of notifiedCenterRoles(policy)) {
      const holder = directory.centerRole(policy, center, role);
      if (isUnreached(holder)) found.push({ center, role, reason: holder.reason });
      else if (!emailEnabled && !(holder.chat && chatUrl(holder.chat, env))) {
        found.push({
          center,
          role,
          reason: `${holder.name} has no chat destination and email is off (SMTP_URL is not set)`,
        });
      }
    }
  }
  return found;
}
