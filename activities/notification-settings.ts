import { Provider } from '@nestjs/common';
import {
  EmailTemplates,
  Mailer,
  NotificationSettings,
  notificationSettingsFromEnv,
  SmtpMailer,
} from '../libs/notifications/src';

export type { NotificationSettings } from '../libs/notifications/src';

export const NOTIFICATION_SETTINGS = Symbol('NOTIFICATION_SETTINGS');
export const MAILER = Symbol('MAILER');
export const EMAIL_TEMPLATES = Symbol('EMAIL_TEMPLATES');

/** Settings, templates and the mailer for Nest (the worker); tests pass their own settings. */
export function notificationProviders(settings: NotificationSettings = notificationSettingsFromEnv()): Provider[] {
  return [
    { provide: NOTIFICATION_SETTINGS, useValue: settings },
    { provide: EMAIL_TEMPLATES, useFactory: () => EmailTemplates.load(settings.templatesDir) },
    ...(settings.smtpUrl
      ? [{ provide: MAILER, useValue: new SmtpMailer(settings.smtpUrl, settings.smtpFrom) satisfies Mailer }]
      : []),
  ];
}
