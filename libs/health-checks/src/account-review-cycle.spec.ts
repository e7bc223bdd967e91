import { DateTime } from 'luxon';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildPolicy } from '../../policy/src';
import {
  accountReviewPeriods,
  accountReviewTitle,
  contractYear,
  hasAccountReviews,
  healthCheckInputFor,
} from './health-check-cycle';

const HEL = 'Europe/Helsinki';
const local = (iso: string | number) =>
  (typeof iso === 'number' ? DateTime.fromMillis(iso, { zone: HEL }) : DateTime.fromISO(iso, { zone: HEL })).toFormat(
    "yyyy-MM-dd'T'HH:mm",
  );
const policyDoc = () => parse(readFileSync(join(__dirname, '..', '..', '..', 'config', 'sla-policy.yaml'), 'utf8'));

describe('account-review periods', () => {
  it('quarterly: 4 periods from the contract-year start, 00:00 local across DST changes', () => {
    const year = contractYear('2025-03-01', HEL, 2026);
    const periods = accountReviewPeriods(year, HEL, 3);
    expect(periods.map((p) => [p.review, local(p.start), local(p.end)])).toEqual([
      [1, '2026-03-01T00:00', '2026-06-01T00:00'],
      [2, '2026-06-01T00:00', '2026-09-01T00:00'],
      [3, '2026-09-01T00:00', '2026-12-01T00:00'],
      [4, '2026-12-01T00:00', '2027-03-01T00:00'],
    ]);
    // 1 March is EET (+02:00), 1 June EEST (+03:00): the instants follow the local wall time.
    expect(periods[0].start).toBe('2026-02-28T22:00:00.000Z');
    expect(periods[1].start).toBe('2026-05-31T21:00:00.000Z');
    expect(periods[3].end).toBe(year.end);
  });

  it('other lengths: the last period is shorter when months do not divide the year; month ends clamp', () => {
    const year = contractYear('2025-01-31', HEL, 2027);
    expect(accountReviewPeriods(year, HEL, 5).map((p) => local(p.start))).toEqual([
      '2027-01-31T00:00',
      '2027-06-30T00:00',
      '2027-11-30T00:00',
    ]);
    const monthly = accountReviewPeriods(year, HEL, 1);
    expect(monthly).toHaveLength(12);
    // Counted from the year's start, not chained: Feb clamps to the 28th, March is the 31st again.
    expect(monthly.slice(0, 3).map((p) => local(p.start))).toEqual([
      '2027-01-31T00:00',
      '2027-02-28T00:00',
      '2027-03-31T00:00',
    ]);
    expect(accountReviewPeriods(year, HEL, 12)).toHaveLength(1);
    expect(() => accountReviewPeriods(year, HEL, 0)).toThrow(RangeError);
  });

  it('titles name the period', () => {
    expect(accountReviewTitle(3)).toBe('host the quarterly account review');
    expect(accountReviewTitle(2)).toBe('host the account review (every 2 months)');
  });
});

describe('accountReviews policy', () => {
  it('defaults to quarterly SPE reviews due in 10 business days, and reaches the year input', () => {
    const doc = policyDoc();
    delete doc.accountReviews;
    const policy = buildPolicy(doc, 'test');
    expect(policy.document.accountReviews).toEqual({ plans: ['SPE'], everyMonths: 3, dueBusinessDays: 10 });
    expect(hasAccountReviews(policy, 'SPE')).toBe(true);
    expect(hasAccountReviews(policy, 'SP1')).toBe(false);
    const account = {
      accountId: 'acme',
      name: 'Acme',
      plan: 'SP1',
      supportCenter: 'emea',
      contractStart: '2025-03-01',
      tamId: 'jane.doe',
    } as any;
    const at = Date.parse('2026-11-30T12:00:00Z');
    const sp1 = healthCheckInputFor(policy, account, at);
    expect('input' in sp1 && sp1.input.reviews).toMatchObject({ enabled: false, everyMonths: 3, dueBusinessDays: 10 });
    const spe = healthCheckInputFor(policy, { ...account, plan: 'SPE' }, at);
    expect('input' in spe && spe.input.reviews).toMatchObject({
      enabled: true,
      title: 'host the quarterly account review',
    });
    expect('input' in spe && spe.input.reviews!.periods).toHaveLength(4);
  });

  it('is configurable and validated: unknown plans, plans without health checks, period length', () => {
    const doc = policyDoc();
    doc.accountReviews = { plans: ['SPE', 'SP1'], everyMonths: 6, dueBusinessDays: 5 };
    const policy = buildPolicy(doc, 'test');
    expect(hasAccountReviews(policy, 'SP1')).toBe(true);
    doc.accountReviews = { plans: ['SPX', 'SP2'], everyMonths: 0, dueBusinessDays: 5 };
    expect(() => buildPolicy(doc, 'test')).toThrow(/accountReviews\.everyMonths/);
    doc.accountReviews.everyMonths = 3;
    let message = '';
    try {
      buildPolicy(doc, 'test');
    } catch (error) {
      message = JSON.stringify(error);
    }
    expect(message).toContain('unknown plan SPX');
    expect(message).toContain('plan SP2 includes no health checks');
  });
});
