import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { formatPath } from '../../policy/src/load';
import { Policy } from '../../policy/src/policy';
import { PeopleDirectory } from './directory';
import { DirectoryDocument, directorySchema, Person } from './schema';

export const DEFAULT_PEOPLE_PATH = 'config/people.yaml';

export interface DirectoryIssue {
  path: string;
  message: string;
}

/** The directory cannot be used; the message lists every issue as `path: rule`. */
export class DirectoryError extends Error {
  constructor(
    readonly source: string,
    readonly issues: DirectoryIssue[],
  ) {
    super(
      `invalid people directory ${source}:\n${issues.map((i) => `  ${i.path || '(root)'}: ${i.message}`).join('\n')}`,
    );
    this.name = 'DirectoryError';
  }
}

/** A person's chat URL held in an environment variable must be an http(s) URL (when the variable is set). */
function chatEnvIssue(path: string, person: Person | undefined, env: NodeJS.ProcessEnv): DirectoryIssue[] {
  const urlEnv = person?.chat?.urlEnv;
  const value = urlEnv ? env[urlEnv] : undefined;
  if (!urlEnv || !value || z.url({ protocol: /^https?$/ }).safeParse(value).success) return [];
  return [{ path: `${path}.chat.urlEnv`, message: `environment variable ${urlEnv} must hold an http(s) URL` }];
}

/** Checks what the schema cannot: centers known to the policy, chat URLs held in environment variables. */
function crossCheck(doc: DirectoryDocument, policy: Policy, env: NodeJS.ProcessEnv): DirectoryIssue[] {
  const issues: DirectoryIssue[] = [];
  for (const [centerId, roles] of Object.entries(doc.centers)) {
    if (!policy.center(centerId)) {
      issues.push({
        path: `centers.${centerId}`,
        message: `unknown support center ${centerId} (the policy has ${policy.centerIds().join(', ')})`,
      });
    }
    for (const [role, person] of Object.entries(roles))
      issues.push(...chatEnvIssue(`centers.${centerId}.${role}`, person, env));
  }
  for (const [tamId, person] of Object.entries(doc.tams)) issues.push(...chatEnvIssue(`tams.${tamId}`, person, env));
  return issues;
}

/** Validates a parsed directory against the policy; `source` names it in errors. */
export function buildDirectory(
  raw: unknown,
  policy: Policy,
  source = 'people directory',
  env: NodeJS.ProcessEnv = process.env,
): PeopleDirectory {
  const parsed = directorySchema.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new DirectoryError(
      source,
      parsed.error.issues.map((issue: z.core.$ZodIssue) => ({ path: formatPath(issue.path), message: issue.message })),
    );
  }
  const issues = crossCheck(parsed.data, policy, env);
  if (issues.length > 0) throw new DirectoryError(source, issues);
  return new PeopleDirectory(
    parsed.data,
    `sha256:${createHash('sha256').update(JSON.stringify(parsed.data)).digest('hex').slice(0, 16)}`,
  );
}

/** Parses the YAML text of a directory file. */
export function parseDirectory(
  text: string,
  policy: Policy,
  source: string,
  env: NodeJS.ProcessEnv = process.env,
): PeopleDirectory {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0)
    throw new DirectoryError(
      source,
      doc.errors.map((e) => ({ path: '', message: `YAML: ${e.message}` })),
    );
  return buildDirectory(doc.toJS(), policy, source, env);
}

export function readDirectoryFile(
  path: string,
  policy: Policy,
  env: NodeJS.ProcessEnv = process.env,
): { directory: PeopleDirectory; content: string } {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    throw new DirectoryError(path, [{ path: '', message: `cannot read file: ${(error as Error).message}` }]);
  }
  return { directory: parseDirectory(content, policy, path, env), content };
}
