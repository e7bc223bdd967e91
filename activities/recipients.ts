import type { Role } from '../libs/contracts/src/incident';
import { Policy } from '../libs/policy/src';
import { isUnreached, PeopleDirectory, Recipient, Unreached } from '../libs/people/src';
import { TamDirectory } from './tam-directory';

/**
 * Roles to people at fire time: center roles from the people directory (else the policy's role
 * address), `tam` from the account's `tamId` looked up in the directory. Every role that resolves
 * to nobody comes back with the reason.
 */
export async function resolveRoles(
  policy: Policy,
  directory: PeopleDirectory,
  tams: TamDirectory,
  subject: { accountId: string; supportCenter: string },
  roles: readonly Role[],
): Promise<{ resolved: Recipient[]; unreached: Unreached[] }> {
  const resolved: Recipient[] = [];
  const unreached: Unreached[] = [];
  for (const role of roles) {
    if (role === 'tam') {
      const found = await tamRecipient(directory, tams, subject.accountId);
      if (isUnreached(found)) unreached.push(found);
      else resolved.push(found);
      continue;
    }
    const found = directory.centerRole(policy, subject.supportCenter, role);
    if (isUnreached(found)) unreached.push(found);
    else resolved.push(found);
  }
  return { resolved, unreached };
}

/** The account's TAM as a recipient, or why there is none. */
export async function tamRecipient(
  directory: PeopleDirectory,
  tams: TamDirectory,
  accountId: string,
  role: Recipient['role'] = 'tam',
): Promise<Recipient | Unreached> {
  const tamId = await tams.tamFor(accountId);
  if (!tamId) return { role: 'tam', reason: `account ${accountId} has no TAM` };
  const person = directory.tam(tamId);
  if (!person) return { role: 'tam', reason: `TAM ${tamId} of account ${accountId} is not in the people directory` };
  return { ...person, role, source: 'directory' };
}
