import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadPolicy } from '../../policy/src';
import { isUnreached } from './directory';
import { buildDirectory, DirectoryError } from './load';
import { DirectoryFile } from './store';

const ROOT = join(__dirname, '..', '..', '..');
const policy = loadPolicy(join(ROOT, 'config', 'sla-policy.yaml'));
const defaultText = readFileSync(join(ROOT, 'config', 'people.yaml'), 'utf8');
const defaults = () => parse(defaultText);

function issuesOf(doc: unknown, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    buildDirectory(doc, policy, 'test', env);
  } catch (error) {
    expect(error).toBeInstanceOf(DirectoryError);
    return (error as DirectoryError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  return [];
}

describe('people directory', () => {
  it('loads the default file: TAMs by id, and every notified role of every center', () => {
    const directory = buildDirectory(defaults(), policy, 'default', {});
    expect(directory.tam('jane.doe')).toMatchObject({ email: 'jane.doe@vendor.example', zone: 'Europe/Helsinki' });
    for (const center of policy.centerIds()) {
      for (const role of [
        'supportQueue',
        'supportLead',
        'supportManager',
        'supportDirector',
        'dutyManager',
        'customerSuccess',
      ] as const) {
        expect(isUnreached(directory.centerRole(policy, center, role))).toBe(false);
      }
    }
  });

  it('names the path and rule of every bad entry', () => {
    const doc = defaults();
    doc.tams['jane.doe'].email = 'jane.doe';
    doc.tams['raj.patel'].zone = 'Mars/Olympus';
    doc.tams['maria.garcia'].locale = 'not a locale';
    doc.centers.emea.supportLead.chat = { kind: 'slack', url: 'ftp://chat.example' };
    doc.centers.emea.supportQueue.chat = { kind: 'irc', urlEnv: 'X' };
    expect(issuesOf(doc).sort()).toEqual([
      'centers.emea.supportLead.chat.url: must be an http(s) URL',
      'centers.emea.supportQueue.chat.kind: must be slack or teams',
      'tams.jane.doe.email: must be an email address',
      'tams.maria.garcia.locale: must be a BCP 47 locale such as en-GB',
      'tams.raj.patel.zone: must be an IANA time zone such as Europe/Helsinki',
    ]);
    // The cross-checks run on a document the schema accepts.
    const unknownCenter = defaults();
    unknownCenter.centers.mars = {};
    expect(issuesOf(unknownCenter)).toEqual([expect.stringMatching(/^centers\.mars: unknown support center mars/)]);
  });

  it('refuses a chat variable that does not hold an http(s) URL, naming the path', () => {
    const doc = defaults();
    doc.centers.apac.dutyManager.chat = { kind: 'teams', urlEnv: 'APAC_DUTY_TEAMS' };
    expect(issuesOf(doc, { APAC_DUTY_TEAMS: 'not a url' })).toEqual([
      'centers.apac.dutyManager.chat.urlEnv: environment variable APAC_DUTY_TEAMS must hold an http(s) URL',
    ]);
    expect(issuesOf(doc, { APAC_DUTY_TEAMS: 'https://teams.example/hook' })).toEqual([]);
  });

  it('a role the directory does not name falls back to the policy address in the center zone; without one it is unreached with the reason', () => {
    const doc = defaults();
    delete doc.centers.emea.supportLead;
    const directory = buildDirectory(doc, policy, 'test', {});
    expect(directory.centerRole(policy, 'emea', 'supportLead')).toMatchObject({
      email: 'emea-lead@vendor.example',
      zone: 'Europe/Helsinki',
      source: 'policy',
    });
    const withoutAddress = loadPolicy(join(ROOT, 'config', 'sla-policy.yaml'));
    delete (withoutAddress.center('emea')!.roles as Record<string, string>).supportLead;
    expect(buildDirectory(doc, withoutAddress, 'test', {}).centerRole(withoutAddress, 'emea', 'supportLead')).toEqual({
      role: 'supportLead',
      reason: 'nobody holds supportLead at emea: add centers.emea.supportLead to the people directory',
    });
  });

  it('the file is re-read on a change of content: an invalid edit keeps the previous directory and is reported once', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sla-people-')), 'people.yaml');
    writeFileSync(path, defaultText);
    const errors: string[] = [];
    const file = new DirectoryFile(
      path,
      policy,
      (e) => errors.push(e.message),
      () => undefined,
      {},
    );
    let now = 10_000;
    expect(file.current(now).tam('jane.doe')?.name).toBe('Jane Doe');
    writeFileSync(
      path,
      defaultText.replace('name: Jane Doe, email: jane.doe@vendor.example', 'name: Jane Doe, email: not-an-email'),
    );
    expect(file.current((now += 1_000)).tam('jane.doe')?.email).toBe('jane.doe@vendor.example');
    expect(file.current((now += 1_000)).tam('jane.doe')?.email).toBe('jane.doe@vendor.example');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('tams.jane.doe.email');
    writeFileSync(path, defaultText.replace('name: Jane Doe,', 'name: Jane Q. Doe,'));
    expect(file.current((now += 1_000)).tam('jane.doe')?.name).toBe('Jane Q. Doe');
    // Within a second of the last check the file is not read again.
    writeFileSync(path, defaultText);
    expect(file.current(now + 500).tam('jane.doe')?.name).toBe('Jane Q. Doe');
  });
});
