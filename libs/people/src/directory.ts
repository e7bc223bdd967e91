import { Policy } from '../../policy/src/policy';
import { CENTER_ROLES, Role } from '../../policy/src/schema';
import { CenterRole, ChatDestination, DirectoryDocument, Person } from './schema';

/** A person a notification goes to, with where the entry came from (for messages and the timeline). */
export interface Recipient extends Person {
  role: Role | 'owner' | 'contact';
  /** `directory`: config/people.yaml; `policy`: the center's role address, with the center's zone. */
  source: 'directory' | 'policy' | 'account';
}

/** Why a role reaches nobody (recorded on the timeline and in the delivery report). */
export interface Unreached {
  role: Role | 'owner' | 'contact';
  reason: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const FALLBACK_LOCALE = 'en-GB';

/** An immutable, validated people directory (see `buildDirectory`). */
export class PeopleDirectory {
  constructor(
    readonly document: DirectoryDocument,
    /** Content hash of the file this came from, for logs. */
    readonly version: string,
  ) {}

  static empty(): PeopleDirectory {
    return new PeopleDirectory({ tams: {}, centers: {} }, 'empty');
  }

  tam(tamId: string): Person | undefined {
    return Object.hasOwn(this.document.tams, tamId) ? this.document.tams[tamId] : undefined;
  }

  tamIds(): string[] {
    return Object.keys(this.document.tams);
  }

  /**
   * Who holds a center role: the directory's person, else the policy's role address (when it is an
   * email address) as a person in the center's zone.
   */
  centerRole(policy: Policy, centerId: string, role: CenterRole): Recipient | Unreached {
    const person = this.document.centers[centerId]?.[role];
    if (person) return { ...person, role, source: 'directory' };
    const center = policy.center(centerId);
    const address = center?.roles[role];
    if (center && address && EMAIL.test(address)) {
      return {
        name: `${center.name} ${role}`,
        email: address,
        zone: center.calendar.zone,
        locale: FALLBACK_LOCALE,
        role,
        source: 'policy',
      };
    }
    return {
      role,
      reason: `nobody holds ${role} at ${centerId}: add centers.${centerId}.${role} to the people directory`,
    };
  }
}

export const isUnreached = (value: Recipient | Unreached): value is Unreached => 'reason' in value;

/** The chat URL of a destination: inline, or from its environment variable (undefined when unset). */
export function chatUrl(chat: ChatDestination, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return chat.url ?? (chat.urlEnv ? env[chat.urlEnv] || undefined : undefined);
}

/** Roles a center role list holds, for start-up checks. */
export const centerRoles = (roles: readonly Role[]): CenterRole[] =>
  roles.filter((r): r is CenterRole => (CENTER_ROLES as readonly string[]).includes(r));
