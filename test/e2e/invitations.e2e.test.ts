import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { contractYearAt } from '../../libs/health-checks/src';
import { accountBody, CONTRACT_START } from '../support/fixtures';
import { testNotificationSettings } from '../support/people';
import { eventually } from '../support/eventually';
import { ReceivedMail, SmtpReceiver, startSmtpReceiver } from '../support/smtp-receiver';
import { startTestStack, TestStack } from '../support/stack';
import { testPolicy } from '../support/temporal';

/**
 * TAM tasks in calendars, on a real dev server with a real SMTP server: the invitation when a
 * health check is scheduled, the update (same UID, higher SEQUENCE) when it is rescheduled, the
 * cancellation when it completes before its date, and the TAM's feed, all parsed with ical.js.
 */
let stack: TestStack;
let smtp: SmtpReceiver;
const ZONE = 'Europe/Helsinki'; // the emea center's zone, and jane.doe's in config/people.yaml
const YEAR = contractYearAt(CONTRACT_START, ZONE, Date.now())!.contractYear;
const TAM_EMAIL = 'jane.doe@vendor.example';
const CONTACT_EMAIL = 'ann@acme.example';

/** The VEVENT of a message's calendar part (text/calendar alternative or .ics attachment), parsed. */
function calendarOf(mail: ReceivedMail): { method: string; event: ICAL.Event } | undefined {
  const part = mail.parsed.attachments.find((a) => /calendar|ics/.test(a.contentType));
  if (!part) return undefined;
  const component = new ICAL.Component(ICAL.parse(part.content.toString('utf8')));
  const vevent = component.getFirstSubcomponent('vevent');
  return vevent
    ? { method: String(component.getFirstPropertyValue('method')), event: new ICAL.Event(vevent) }
    : undefined;
}

/** Calendar messages of one task (its UID) to one address. */
const invitationsTo = (address: string, method: string, taskId = `acme:${YEAR}:remote`) =>
  smtp.received
    .filter((m) => m.to.includes(address))
    .map((m) => ({ mail: m, cal: calendarOf(m) }))
    .filter((x) => x.cal?.method === method && x.cal.event.uid === `${taskId}@vendor.example`);

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  stack = await startTestStack(testPolicy(), {
    notifications: testNotificationSettings({ smtpUrl: smtp.url, publicBaseUrl: 'http://sla.test' }),
  });
  expect((await stack.http('POST', '/v1/accounts', accountBody('acme', 'SPE', { tamId: 'jane.doe' }))).status).toBe(
    201,
  );
  expect(
    (
      await stack.http('POST', '/v1/accounts/acme/contacts', {
        contactId: 'C-ACME-1',
        name: 'Ann',
        email: CONTACT_EMAIL,
      })
    ).status,
  ).toBe(201);
});

afterAll(async () => {
  await stack?.teardown();
  await smtp?.close();
});

describe('TAM tasks reach calendars', () => {
  it('an account whose tamId is not in the people directory is refused with 422 naming tamId', async () => {
    const res = await stack.http('POST', '/v1/accounts', accountBody('nobody', 'SPE', { tamId: 'no.such.tam' }));
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toMatchObject({ field: 'tamId', rule: 'inDirectory' });
  });

  it("an SPE account's current account review reaches the TAM's calendar as an all-day entry on its due date", async () => {
    const review = await eventually(
      () =>
        smtp.received
          .map((m) => calendarOf(m))
          .find((c) => c?.method === 'REQUEST' && /^acme:\d{4}:review-\d+@vendor\.example$/.test(c.event.uid)),
      'account review invitation',
    );
    expect(review.event.startDate.isDate).toBe(true);
    expect(review.event.summary).toContain('Account review due');
  });

  it('invites the TAM and the contact when scheduled, updates on reschedule, cancels on early completion; the feed lists it', async () => {
    const taskId = `acme:${YEAR}:remote`;
    expect(
      (await stack.http('POST', '/v1/accounts/acme/health-checks', { kind: 'remote' }, { as: 'acme' })).status,
    ).toBe(201);
    // The request itself is an email to the TAM (no calendar entry: no date yet).
    const created = await eventually(
      () =>
        smtp.received.find(
          (m) => m.to.includes(TAM_EMAIL) && m.parsed.headers.get('x-sla-webhook-id') === `${taskId}.task.created`,
        ),
      'task.created email',
    );
    expect(calendarOf(created)).toBeUndefined();
    expect(created.parsed.subject).toContain('New task');

    const first = `${YEAR + 1}-01-20`;
    expect((await stack.http('POST', `/v1/tasks/${taskId}/schedule`, { date: first }, { as: 'tam' })).status).toBe(200);
    const [toTam] = await eventually(
      () => (invitationsTo(TAM_EMAIL, 'REQUEST').length ? invitationsTo(TAM_EMAIL, 'REQUEST') : undefined),
      'invitation to the TAM',
    );
    const [toContact] = await eventually(
      () => (invitationsTo(CONTACT_EMAIL, 'REQUEST').length ? invitationsTo(CONTACT_EMAIL, 'REQUEST') : undefined),
      'invitation to the contact',
    );
    const invite = toTam.cal!.event;
    expect(invite.uid).toBe(toContact.cal!.event.uid);
    expect(invite.uid).toBe(`${taskId}@vendor.example`);
    // 09:00 local on the agreed date, one hour, in the TAM's (= center's) zone.
    const start = DateTime.fromJSDate(invite.startDate.toJSDate(), { zone: ZONE });
    expect(start.toFormat("yyyy-MM-dd'T'HH:mm")).toBe(`${first}T09:00`);
    expect(invite.endDate.toJSDate().getTime() - invite.startDate.toJSDate().getTime()).toBe(3_600_000);
    expect(invite.attendees.map((a) => String(a.getFirstValue()).toLowerCase()).sort()).toEqual([
      `mailto:${CONTACT_EMAIL}`,
      `mailto:${TAM_EMAIL}`,
    ]);

    // A reschedule at least a second later: the same UID with a higher SEQUENCE, at the new date.
    await new Promise((r) => setTimeout(r, 1_100));
    const second = `${YEAR + 1}-01-27`;
    expect((await stack.http('POST', `/v1/tasks/${taskId}/schedule`, { date: second }, { as: 'tam' })).status).toBe(
      200,
    );
    const update = await eventually(
      () => invitationsTo(TAM_EMAIL, 'REQUEST').find((x) => x.cal!.event.sequence > invite.sequence),
      'updated invitation',
    );
    expect(update.cal!.event.uid).toBe(invite.uid);
    expect(
      DateTime.fromJSDate(update.cal!.event.startDate.toJSDate(), { zone: ZONE }).toFormat("yyyy-MM-dd'T'HH:mm"),
    ).toBe(`${second}T09:00`);
    expect(update.mail.parsed.messageId).not.toBe(toTam.mail.parsed.messageId);

    // The TAM's feed: the scheduled check at the agreed time in the TAM's zone, parsed by ical.js.
    const res = await fetch(`${stack.baseUrl}/v1/tasks.ics`, {
      headers: { authorization: `Bearer ${stack.keys.token.tam}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/calendar');
    const feed = new ICAL.Component(ICAL.parse(await res.text()));
    expect(feed.getFirstPropertyValue('x-wr-timezone')).toBe(ZONE);
    const entries = feed.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    const listed = entries.find((e) => e.uid === invite.uid)!;
    expect(listed).toBeDefined();
    expect(DateTime.fromJSDate(listed.startDate.toJSDate(), { zone: ZONE }).toFormat("yyyy-MM-dd'T'HH:mm")).toBe(
      `${second}T09:00`,
    );
    // The yearly offer is open too: an all-day entry on its due date.
    expect(entries.some((e) => e.uid === `acme:${YEAR}:offer@vendor.example` && e.startDate.isDate)).toBe(true);
    // A TAM's feed is its own; a customer key has none.
    const other = await fetch(`${stack.baseUrl}/v1/tasks.ics?owner=raj.patel`, {
      headers: { authorization: `Bearer ${stack.keys.token.tam}` },
    });
    expect(other.status).toBe(403);
    const customer = await fetch(`${stack.baseUrl}/v1/tasks.ics`, {
      headers: { authorization: `Bearer ${stack.keys.token.acme}` },
    });
    expect(customer.status).toBe(403);

    // Completed before its date: the entry is cancelled for both, same UID, SEQUENCE not lower.
    expect(
      (await stack.http('POST', `/v1/tasks/${taskId}/complete`, { summary: 'Held early.' }, { as: 'tam' })).status,
    ).toBe(200);
    const cancel = await eventually(() => invitationsTo(CONTACT_EMAIL, 'CANCEL')[0], 'cancellation to the contact');
    expect(cancel.cal!.event.uid).toBe(invite.uid);
    expect(cancel.cal!.event.sequence).toBeGreaterThanOrEqual(update.cal!.event.sequence);
    expect(cancel.cal!.event.component.getFirstPropertyValue('status')).toBe('CANCELLED');
  });
});
