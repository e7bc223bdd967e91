import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildPolicy, loadPolicy, PolicyError, policyVersion } from './load';

const DEFAULT = join(__dirname, '..', '..', '..', 'config', 'sla-policy.yaml');
const defaultDoc = () => parse(readFileSync(DEFAULT, 'utf8'));

function issuesOf(change: (doc: any) => void): string[] {
  const doc = defaultDoc();
  change(doc);
  try {
    buildPolicy(doc, 'test');
  } catch (error) {
    if (error instanceof PolicyError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  return [];
}

describe('the default policy', () => {
  const policy = loadPolicy(DEFAULT);

  it('holds the DESIGN.md plan matrix', () => {
    expect(policy.planIds()).toEqual(['SPE', 'SP1', 'SP2', 'SP3']);
    expect(policy.plan('SP3')!.features.channels).not.toContain('phone');
    expect(['SPE', 'SP1', 'SP2', 'SP3'].map((p) => policy.plan(p)!.features.maxContacts)).toEqual([10, 6, 4, 2]);
    expect(policy.plan('SPE')!.features).toMatchObject({ tam: true, healthChecks: { remote: true, onsite: true } });
    expect(policy.plan('SP1')!.features.healthChecks).toEqual({ remote: true, onsite: false });
  });

  it.each([
    ['SPE', [1, 2, 4, 8]],
    ['SP1', [2, 4, 8, 16]],
    ['SP2', [4, 8, 16, 24]],
    ['SP3', [8, 16, 24, 40]],
  ])('has the IHR targets of %s in hours', (plan, hours) => {
    expect(([1, 2, 3, 4] as const).map((s) => policy.targetMs(plan, s) / 3600_000)).toEqual(hours);
  });

  it('covers SP1 Sev 1 around the clock and SP1 Sev 2 in business hours', () => {
    expect(policy.coverage('SP1', 1)).toBe('24x7');
    expect(policy.coverage('SP1', 2)).toBe('business-hours');
    expect(policy.coverage('SPE', 4)).toBe('24x7');
  });

  it('gives Sev 1-2 the level-2 step and Sev 3-4 only warn, at-risk and breach', () => {
    expect(policy.ladder('SP2', 2).map((s) => s.id)).toEqual(['warn', 'at_risk', 'breach', 'level2']);
    expect(policy.ladder('SP2', 3).map((s) => s.id)).toEqual(['warn', 'at_risk', 'breach']);
    expect(policy.isCriticalOpen('SP1', 1)).toBe(true);
    expect(policy.isCriticalOpen('SP2', 1)).toBe(false);
  });

  it('applies the last matching ladder override', () => {
    const doc = defaultDoc();
    doc.escalation.overrides = [
      {
        plans: ['SPE'],
        severities: [1],
        ladder: [{ id: 'early', event: 'ihr.warning', at: { percentOfTarget: 25 }, notify: ['supportLead'] }],
      },
    ];
    const custom = buildPolicy(doc);
    expect(custom.ladder('SPE', 1).map((s) => s.id)).toEqual(['early']);
    expect(custom.ladder('SPE', 2).map((s) => s.id)).toEqual(['warn', 'at_risk', 'breach', 'level2']);
  });

  it('compiles every support center calendar', () => {
    expect(policy.calendar('emea').zone).toBe('Europe/Helsinki');
    expect(policy.calendar('apac').zone).toBe('Asia/Tokyo');
  });
});

describe('policy version', () => {
  it('is a content hash: same content, same version, whatever the key order', () => {
    expect(policyVersion({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(policyVersion({ b: [1, { d: 3, c: 2 }], a: 1 }));
    expect(policyVersion({ a: 1 })).not.toBe(policyVersion({ a: 2 }));
  });

  it('changes when a target changes', () => {
    const doc = defaultDoc();
    const before = buildPolicy(doc).version;
    doc.plans.SP2.targets.sev1 = '5h';
    expect(buildPolicy(doc).version).not.toBe(before);
  });
});

describe('invalid policies are refused with path and rule', () => {
  it.each<[string, (doc: any) => void, string]>([
    ['zero target', (d) => (d.plans.SP2.targets.sev1 = '0h'), 'plans.SP2.targets.sev1: must be a positive duration'],
    [
      'worded target',
      (d) => (d.plans.SP2.targets.sev1 = 'four hours'),
      'plans.SP2.targets.sev1: must be a positive duration',
    ],
    ['missing severity', (d) => delete d.plans.SP1.targets.sev4, 'plans.SP1.targets.sev4:'],
    [
      'negative max contacts',
      (d) => (d.plans.SP3.features.maxContacts = -1),
      'plans.SP3.features.maxContacts: must be a positive whole number',
    ],
    ['unknown channel', (d) => d.plans.SP3.features.channels.push('fax'), 'plans.SP3.features.channels[2]:'],
    ['unknown coverage', (d) => (d.plans.SP1.coverage.sev1 = '9to5'), 'plans.SP1.coverage.sev1:'],
    ['unknown key', (d) => (d.plans.SPE.colour = 'gold'), 'plans.SPE:'],
    [
      'critical-open for an unknown plan',
      (d) => d.escalation.criticalOpen.plans.push('GOLD'),
      'escalation.criticalOpen.plans[2]: unknown plan GOLD',
    ],
    [
      'ladder percent over 100',
      (d) => (d.escalation.ladder[0].at = { percentOfTarget: 150 }),
      'escalation.ladder[0].at',
    ],
    [
      'bad webhook url',
      (d) => (d.subscribers = [{ id: 'x', url: 'ftp://x', secretEnv: 'X', events: ['*'] }]),
      'subscribers[0].url: must be an http(s) URL',
    ],
    [
      'unknown zone',
      (d) => (d.supportCenters.emea.calendar.zone = 'Mars/Olympus'),
      'supportCenters.emea.calendar.zone',
    ],
    [
      'overlapping hours',
      (d) => (d.supportCenters.apac.calendar.weekly.mon = ['09:00-18:00', '17:00-19:00']),
      'supportCenters.apac.calendar.weekly.mon',
    ],
    [
      'unknown holiday country',
      (d) => (d.supportCenters.americas.calendar.holidays.country = 'XX'),
      'supportCenters.americas.calendar.holidays.country',
    ],
  ])('%s', (_name, change, expected) => {
    const issues = issuesOf(change);
    expect(issues.some((issue) => issue.startsWith(expected))).toBe(true);
  });

  it('reports a YAML syntax error and a missing file as PolicyError', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-'));
    writeFileSync(join(dir, 'bad.yaml'), 'plans: [unclosed');
    expect(() => loadPolicy(join(dir, 'bad.yaml'))).toThrow(PolicyError);
    expect(() => loadPolicy(join(dir, 'missing.yaml'))).toThrow(/cannot read file/);
  });

  it('lists every issue in the message, one per line', () => {
    const doc = defaultDoc();
    doc.plans.SP2.targets.sev1 = '0h';
    doc.plans.SP3.features.maxContacts = 0;
    expect(() => buildPolicy(doc, 'config/sla-policy.yaml')).toThrow(
      /invalid SLA policy config\/sla-policy.yaml:\n {2}plans\.SP2\.targets\.sev1: .*\n {2}plans\.SP3\.features\.maxContacts: /,
    );
  });
});

describe('webhook secrets', () => {
  const ENV = 'SLA_SPEC_SECRET_CHECK';
  afterEach(() => {
    delete process.env[ENV];
  });
  const withSubscriber = () => {
    const doc = parse(readFileSync('config/sla-policy.yaml', 'utf8'));
    doc.subscribers = [{ id: 'crm', url: 'http://127.0.0.1:9/hooks', secretEnv: ENV, events: ['*'] }];
    return doc;
  };

  it.each([
    ['no whsec_ prefix', 'plain-text-secret'],
    ['not base64 after whsec_', 'whsec_not base64!'],
  ])('refuses a secret the Standard Webhooks libraries reject (%s), naming the subscriber', (_name, secret) => {
    process.env[ENV] = secret;
    expect(() => buildPolicy(withSubscriber(), 'policy.yaml')).toThrow(
      /subscribers\[0\]\.secretEnv: subscriber crm: the secret in SLA_SPEC_SECRET_CHECK /,
    );
  });

  it('accepts a whsec_ base64 secret, and a variable not set yet', () => {
    expect(() => buildPolicy(withSubscriber(), 'policy.yaml')).not.toThrow();
    process.env[ENV] = `whsec_${Buffer.from('a-proper-secret-0123456789').toString('base64')}`;
    expect(() => buildPolicy(withSubscriber(), 'policy.yaml')).not.toThrow();
  });
});
