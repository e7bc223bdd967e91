import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Channels, NotificationSettings } from '../../activities';
import { buildDirectory, DirectorySource, fixedDirectory, PeopleDirectory } from '../../libs/people/src';
import { EmailTemplates, Mailer, SmtpMailer } from '../../libs/notifications/src';
import { Policy } from '../../libs/policy/src';

const ROOT = join(__dirname, '..', '..');

/** The default people directory (config/people.yaml), optionally changed by the test. */
export function testDirectory(policy: Policy, change?: (doc: any) => void): PeopleDirectory {
  const doc = parse(readFileSync(join(ROOT, 'config', 'people.yaml'), 'utf8'));
  change?.(doc);
  return buildDirectory(doc, policy, 'test people directory');
}

export const testPeople = (policy: Policy, change?: (doc: any) => void): DirectorySource =>
  fixedDirectory(testDirectory(policy, change));

/** Notification settings for tests: never the environment's SMTP_URL, the committed templates. */
export function testNotificationSettings(overrides: Partial<NotificationSettings> = {}): NotificationSettings {
  return {
    smtpFrom: 'Support SLA engine <sla-engine@vendor.example>',
    namespace: 'default',
    templatesDir: join(ROOT, 'config', 'templates'),
    ...overrides,
  };
}

/** Channels as the worker builds them, from test settings (email only with an smtpUrl). */
export function testChannels(overrides: Partial<NotificationSettings> = {}): Channels {
  const settings = testNotificationSettings(overrides);
  const mailer: Mailer | undefined = settings.smtpUrl ? new SmtpMailer(settings.smtpUrl, settings.smtpFrom) : undefined;
  return new Channels(settings, EmailTemplates.load(settings.templatesDir), mailer);
}
