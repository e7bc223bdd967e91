import type { ApplicationFailure } from '@temporalio/common';
import type { AccountReviewPlan, HealthCheckInput, HealthCheckPlanChange } from '../../libs/contracts/src/health-check';
import type { RejectionDetails } from '../../libs/contracts/src/rejection';
import { ContractYearCase, TaskNotice } from './contract-year-case';

// The contract year's rules without Temporal: every instant is an argument, so each case runs in
// milliseconds. Expected values come from the input below (year 2027 of acme, Helsinki center).
const DAY = 86_400_000;
const START = Date.parse('2027-03-01T00:00:00.000Z');
const END = Date.parse('2028-03-01T00:00:00.000Z');
const T0 = START + 30 * DAY;
const iso = (ms: number) => new Date(ms).toISOString();

function yearInput(kinds: HealthCheckInput['kinds'] = ['remote', 'onsite']): HealthCheckInput {
  return {
    accountId: 'acme',
    accountName: 'Acme Corp',
    contractYear: 2027,
    start: iso(START),
    end: iso(END),
    owner: 'jane.doe',
    ownerKind: 'tam',
    planId: 'SPE',
    planName: 'Enterprise',
    supportCenter: 'emea',
    zone: 'Europe/Helsinki',
    kinds,
  };
}

/** Two quarterly periods are enough: the first running at T0, the second starting 91 days later. */
const REVIEWS: AccountReviewPlan = {
  enabled: true,
  everyMonths: 3,
  dueBusinessDays: 10,
  title: 'host the quarterly account review',
  periods: [
    { review: 1, start: iso(START), end: iso(START + 91 * DAY) },
    { review: 2, start: iso(START + 91 * DAY), end: iso(END) },
  ],
};

const planned = (ms: number) => ({ dueAt: iso(ms), dueLabel: `schedule by ${iso(ms)}` });
const change = (over: Partial<HealthCheckPlanChange>): HealthCheckPlanChange => ({
  planId: 'SPE',
  planName: 'Enterprise',
  kinds: ['remote', 'onsite'],
  owner: 'jane.doe',
  ownerKind: 'tam',
  reason: 'account changed',
  ...over,
});

/** The rejection a validator throws: HTTP status and rule. */
function rejectionOf(validate: () => void): Pick<RejectionDetails, 'status' | 'rule' | 'field'> | undefined {
  try {
    validate();
    return undefined;
  } catch (error) {
    const details = (error as ApplicationFailure).details?.[0] as RejectionDetails;
    return { status: details.status, field: details.field, rule: details.rule };
  }
}

const summary = (n: TaskNotice) => [n.event, n.task.taskId, n.alsoNotify, n.suffix];

/** A year with the remote check requested at T0 and its due planned 14 days later. */
function requested(kinds?: HealthCheckInput['kinds']) {
  const year = new ContractYearCase(yearInput(kinds), undefined, START);
  year.validateRequest({ kind: 'remote', actor: 'customer:acme' }, T0);
  const { task } = year.request({ kind: 'remote', actor: 'customer:acme' }, T0);
  year.requestPlanned('remote', planned(T0 + 14 * DAY), 'customer:acme', T0);
  return { year, task };
}

describe('ContractYearCase: the offer', () => {
  it('offers every eligible kind of the input, open until the year ends, owned by the input owner', () => {
    const year = new ContractYearCase(yearInput(['onsite']), undefined, START);
    expect(year.offer).toMatchObject({
      taskId: 'acme:2027:offer',
      state: 'open',
      owner: 'jane.doe',
      ownerKind: 'tam',
      createdAt: iso(START),
      dueAt: iso(END),
      offers: { onsite: { status: 'open' } },
    });
    expect(Object.keys(year.offer.offers)).toEqual(['onsite']);
    const opened = year.opened(START);
    expect(summary(opened)).toEqual(['task.created', 'acme:2027:offer', [], '']);
    expect(opened.message).toContain('Acme Corp');
    expect(year.state()).toBe('open');
    expect(year.nextDueMs()).toBe(END);
  });

  it('the memo carries reviews only for a year that knows them', () => {
    expect(new ContractYearCase(yearInput(), undefined, START).memo()).not.toHaveProperty('reviews');
    expect(new ContractYearCase(yearInput(), REVIEWS, START).memo()).toMatchObject({
      reviews: [],
      planId: 'SPE',
      contractYear: 2027,
    });
  });

  it('a notice becomes the notify input of its moment: stable webhook id, current plan, task copied', () => {
    const { year, task } = requested();
    const input = year.notifyInput({ event: 'task.created', task, message: 'm', alsoNotify: [], suffix: '' }, T0 + 5);
    task.state = 'done';
    expect(input).toMatchObject({
      webhookId: 'acme:2027:remote.task.created',
      occurredAt: iso(T0 + 5),
      account: {
        accountId: 'acme',
        accountName: 'Acme Corp',
        planId: 'SPE',
        supportCenter: 'emea',
        contractYear: 2027,
      },
    });
    expect(input.task.state).toBe('open');
  });
});

describe('ContractYearCase: requests', () => {
  it('a request opens its task with the planned due; the offer is done once every kind is requested', () => {
    const { year, task } = requested();
    expect(task).toMatchObject({
      taskId: 'acme:2027:remote',
      state: 'open',
      requestedBy: 'customer:acme',
      dueAt: iso(T0 + 14 * DAY),
    });
    expect(year.offer.state).toBe('open');
    expect(year.nextDueMs()).toBe(T0 + 14 * DAY);
    const second = year.request({ kind: 'onsite', actor: 'customer:acme' }, T0 + DAY);
    expect(second.notices).toEqual([]); // requested, not closed: nothing to announce
    expect(year.offer).toMatchObject({ state: 'done', outcome: 'every eligible kind requested (remote, onsite)' });
  });

  it('rejects kinds outside the plan, a second request, past or late dates, requests after the year', () => {
    const { year } = requested(['remote']);
    const fresh = new ContractYearCase(yearInput(), undefined, START);
    expect(rejectionOf(() => year.validateRequest({ kind: 'onsite', actor: 'c' }, T0))).toMatchObject({
      status: 422,
      rule: 'planFeature',
    });
    expect(rejectionOf(() => year.validateRequest({ kind: 'remote', actor: 'c' }, T0))).toMatchObject({
      status: 409,
      rule: 'oncePerContractYear',
    });
    expect(rejectionOf(() => fresh.validateRequest({ kind: 'bogus' as never, actor: 'c' }, T0))).toMatchObject({
      status: 422,
      rule: 'enum',
    });
    const dates = (preferredDates: string[]) =>
      rejectionOf(() => fresh.validateRequest({ kind: 'remote', preferredDates, actor: 'c' }, T0));
    expect(dates([iso(T0 + DAY), iso(T0 - DAY)])).toEqual({ status: 422, field: 'preferredDates[1]', rule: 'future' });
    expect(dates([iso(END)])).toEqual({ status: 422, field: 'preferredDates[0]', rule: 'contractYear' });
    expect(dates(['next week'])).toMatchObject({ rule: 'format' });
    expect(dates([iso(END - DAY)])).toBeUndefined();
    expect(rejectionOf(() => fresh.validateRequest({ kind: 'remote', actor: 'c' }, END))).toMatchObject({
      status: 409,
      rule: 'contractYearEnded',
    });
  });

  it('escalates an unscheduled request to the support manager', () => {
    const { year, task } = requested();
    const notice = year.overdue('remote', T0 + 14 * DAY);
    expect(summary(notice)).toEqual(['task.overdue', 'acme:2027:remote', ['supportManager'], '']);
    expect(task.escalatedAt).toBe(iso(T0 + 14 * DAY));
  });
});

describe('ContractYearCase: schedule, reschedule, complete', () => {
  it('schedules inside the year and, for a check held late, after it; never in the past or before a request', () => {
    const { year, task } = requested();
    expect(
      rejectionOf(() => year.validateSchedule({ kind: 'remote', date: iso(T0 - 1), actor: 't' }, T0)),
    ).toMatchObject({ rule: 'future' });
    expect(
      rejectionOf(() => year.validateSchedule({ kind: 'onsite', date: iso(T0 + DAY), actor: 't' }, T0)),
    ).toMatchObject({
      status: 409,
      rule: 'notRequested',
    });
    expect(
      rejectionOf(() => year.validateSchedule({ kind: 'remote', date: iso(END + 10 * DAY), actor: 't' }, T0)),
    ).toBeUndefined();
    const date = T0 + 20 * DAY;
    const generation = year.schedule({ kind: 'remote', date: iso(date), actor: 'tam:jane' });
    const notice = year.scheduled(
      { kind: 'remote', date: iso(date), actor: 'tam:jane' },
      generation,
      iso(date - 2 * DAY),
      T0,
    );
    expect(task).toMatchObject({
      state: 'scheduled',
      scheduledFor: iso(date),
      scheduledBy: 'tam:jane',
      remindAt: iso(date - 2 * DAY),
    });
    expect(summary(notice)).toEqual(['task.scheduled', 'acme:2027:remote', [], '.1']);
    expect(year.nextDueMs()).toBe(date); // a scheduled check is owed on its date
  });

  it('a reschedule supersedes the pending reminder: new generation, the stale reminder not kept', () => {
    const { year, task } = requested();
    const first = { kind: 'remote' as const, date: iso(T0 + 20 * DAY), actor: 't' };
    const second = { kind: 'remote' as const, date: iso(T0 + 40 * DAY), actor: 't' };
    const g1 = year.schedule(first);
    const g2 = year.schedule(second); // while the first reminder was still being planned
    year.scheduled(first, g1, iso(T0 + 18 * DAY), T0);
    expect(task.remindAt).toBeNull();
    const notice = year.scheduled(second, g2, iso(T0 + 38 * DAY), T0);
    expect([g1, g2, year.generation('remote')]).toEqual([1, 2, 2]);
    expect(task).toMatchObject({ scheduledFor: second.date, remindAt: iso(T0 + 38 * DAY) });
    expect(notice.suffix).toBe('.2');
    const reminder = year.remind('remote', g2, T0 + 38 * DAY);
    expect(summary(reminder)).toEqual(['task.reminder', 'acme:2027:remote', [], '.2']);
    expect(task.remindedAt).toBe(iso(T0 + 38 * DAY));
  });

  it('completes a scheduled check with a summary; not before it is scheduled, not twice', () => {
    const { year, task } = requested();
    const command = { kind: 'remote' as const, summary: 'Reviewed.', actor: 'tam:jane' };
    expect(rejectionOf(() => year.validateComplete(command))).toMatchObject({ status: 409, rule: 'notScheduled' });
    year.schedule({ kind: 'remote', date: iso(T0 + DAY), actor: 't' });
    expect(rejectionOf(() => year.validateComplete({ ...command, summary: '  ' }))).toMatchObject({
      status: 422,
      rule: 'required',
    });
    expect(year.requestsFinal()).toBe(false);
    const { notice } = year.complete(command, T0 + 2 * DAY);
    expect(task).toMatchObject({
      state: 'done',
      completedAt: iso(T0 + 2 * DAY),
      completedBy: 'tam:jane',
      summary: 'Reviewed.',
    });
    expect(summary(notice)).toEqual(['task.completed', 'acme:2027:remote', [], '']);
    expect(year.requestsFinal()).toBe(true);
    expect(rejectionOf(() => year.validateComplete(command))).toMatchObject({ status: 409, rule: 'completed' });
    expect(
      rejectionOf(() => year.validateSchedule({ kind: 'remote', date: iso(T0 + 9 * DAY), actor: 't' }, T0)),
    ).toMatchObject({ rule: 'completed' });
  });
});

describe("ContractYearCase: the year's end and plan changes", () => {
  it('expires every unrequested kind at the end and announces the expired offer', () => {
    const year = new ContractYearCase(yearInput(), undefined, START);
    expect(year.untilEnd(T0)).toBe(END - T0);
    const notices = year.endYear(END);
    expect(year.offer.offers).toEqual({
      remote: { status: 'expired', at: iso(END), reason: 'not requested by the end of contract year 2027' },
      onsite: { status: 'expired', at: iso(END), reason: 'not requested by the end of contract year 2027' },
    });
    expect(notices.map(summary)).toEqual([['task.expired', 'acme:2027:offer', [], '']]);
    expect(year.state()).toBe('expired');
    expect(year.untilEnd(END + DAY)).toBe(0);
  });

  it('with one kind requested the offer ends done (no announcement); the requested check stays open', () => {
    const { year } = requested();
    expect(year.endYear(END)).toEqual([]);
    expect(year.offer.state).toBe('done');
    expect(year.offer.offers.onsite?.status).toBe('expired');
    expect(year.requestsFinal()).toBe(false);
    expect(year.state()).toBe('open');
  });

  it('a downgrade closes the open offer (announced), an upgrade reopens it; a repeated sync changes nothing', () => {
    const year = new ContractYearCase(yearInput(), undefined, START);
    expect(year.changePlan(change({}), T0)).toBeUndefined();
    const down = year.changePlan(
      change({ planId: 'SP2', planName: 'Standard', kinds: [], reason: 'no health checks' }),
      T0,
    );
    expect(down!.map(summary)).toEqual([['task.closed', 'acme:2027:offer', [], '']]);
    expect(year.offer).toMatchObject({ state: 'closed', outcome: 'no health checks' });
    expect(rejectionOf(() => year.validateRequest({ kind: 'remote', actor: 'c' }, T0))).toMatchObject({
      rule: 'planFeature',
    });
    expect(year.changePlan(change({ kinds: ['remote'] }), T0 + DAY)).toEqual([]);
    expect(year.offer.offers.remote).toEqual({ status: 'open', at: iso(T0 + DAY) });
    expect(year.offer.state).toBe('open');
    expect(year.timeline.map((e) => e.type)).toEqual(['plan.changed', 'plan.changed']);
  });

  it('an owner change moves the offer and open tasks, not finished ones', () => {
    const { year, task } = requested();
    year.schedule({ kind: 'remote', date: iso(T0 + DAY), actor: 't' });
    year.complete({ kind: 'remote', summary: 'ok', actor: 't' }, T0 + DAY);
    const onsite = year.request({ kind: 'onsite', actor: 'c' }, T0 + DAY).task;
    year.changePlan(change({ owner: 'emea-cs', ownerKind: 'queue' }), T0 + 2 * DAY);
    expect([year.offer.owner, onsite.owner, onsite.ownerKind, task.owner]).toEqual([
      'emea-cs',
      'emea-cs',
      'queue',
      'jane.doe',
    ]);
  });
});

describe('ContractYearCase: account reviews', () => {
  it('opens a review per period with its planned due; overdue, completion, rejections', () => {
    const year = new ContractYearCase(yearInput(), REVIEWS, START);
    expect(year.reviewWanted(START)).toBe(true);
    const review = year.openReview(REVIEWS.periods[0], START);
    const created = year.reviewPlanned(review, planned(START + 14 * DAY), START);
    expect(review).toMatchObject({
      taskId: 'acme:2027:review-1',
      review: 1,
      title: REVIEWS.title,
      dueAt: iso(START + 14 * DAY),
      owner: 'jane.doe',
    });
    expect(created.message).toContain('review 1 of 2');
    expect(year.nextDueMs()).toBe(START + 14 * DAY);
    expect(summary(year.reviewOverdue(review, START + 14 * DAY))).toEqual([
      'task.overdue',
      'acme:2027:review-1',
      ['supportManager'],
      '',
    ]);
    const command = { review: 1, summary: 'Roadmap reviewed.', actor: 'tam:jane' };
    expect(rejectionOf(() => year.validateReviewComplete({ ...command, review: 2 }))).toMatchObject({
      status: 409,
      rule: 'notCreated',
    });
    expect(rejectionOf(() => year.validateReviewComplete({ ...command, summary: '' }))).toMatchObject({
      status: 422,
      rule: 'required',
    });
    const { notice } = year.completeReview(command, START + 15 * DAY);
    expect(summary(notice)).toEqual(['task.completed', 'acme:2027:review-1', [], '']);
    expect(rejectionOf(() => year.validateReviewComplete(command))).toMatchObject({ rule: 'completed' });
    expect(year.state()).toBe('open'); // the offer is still open
  });

  it('a plan change out of reviews closes the open review and stops new ones; the year end expires the rest', () => {
    const year = new ContractYearCase(yearInput(), REVIEWS, START);
    year.reviewPlanned(year.openReview(REVIEWS.periods[0], START), planned(START + 14 * DAY), START);
    const notices = year.changePlan(change({ reviews: false, reason: 'plan SP1' }), T0);
    expect(notices!.map(summary)).toEqual([['task.closed', 'acme:2027:review-1', [], '']]);
    expect(year.reviews[0]).toMatchObject({
      state: 'closed',
      outcome: 'plan changed to SPE (Enterprise), which includes no account reviews',
    });
    expect(rejectionOf(() => year.validateReviewComplete({ review: 1, summary: 's', actor: 't' }))).toMatchObject({
      rule: 'closed',
    });
    expect(year.reviewWanted(Date.parse(REVIEWS.periods[1].start))).toBe(false);
    year.changePlan(change({ reviews: true }), T0 + DAY);
    const second = year.openReview(REVIEWS.periods[1], Date.parse(REVIEWS.periods[1].start));
    expect(year.reviewWanted(END)).toBe(false);
    const atEnd = year.endYear(END);
    expect(second.state).toBe('expired');
    expect(atEnd.map(summary)).toEqual([
      ['task.expired', 'acme:2027:review-2', [], ''],
      ['task.expired', 'acme:2027:offer', [], ''],
    ]);
  });

  it('records a final delivery failure in the status and timeline', () => {
    const year = new ContractYearCase(yearInput(), undefined, START);
    const payload = year.notifyInput(year.opened(START), START);
    year.deliveryFailed(payload, 'undeliverable', START + 1);
    expect(year.status().deliveryFailures).toEqual([
      { at: iso(START + 1), event: 'task.created', webhookId: 'acme:2027:offer.task.created', error: 'undeliverable' },
    ]);
    expect(year.timeline.map((e) => e.type)).toEqual(['offer.created', 'notification.failed']);
  });
});
