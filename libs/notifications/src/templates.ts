import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { NotificationMessage, plainText } from './message';

export const DEFAULT_TEMPLATES_DIR = 'config/templates';
const PARTS = ['subject', 'text', 'html'] as const;
type Part = (typeof PARTS)[number];

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
  /** Set when a template failed and the plain fallback was sent instead. */
  templateError?: string;
}

/** A template file that does not compile: start-up names the file and the error. */
export class TemplateError extends Error {
  constructor(
    readonly file: string,
    cause: string,
  ) {
    super(`notification template ${file}: ${cause}`);
    this.name = 'TemplateError';
  }
}

type Compiled = Handlebars.TemplateDelegate<Record<string, unknown>>;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Email templates (Handlebars): for each part (subject, text, html) the event's own template
 * (`ihr.breached.subject.hbs`), else its family's (`incident.subject.hbs`, `task.subject.hbs`), else
 * `default.<part>.hbs`, which must exist. Compiled at start-up, strict (an
 * unknown name is an error, not an empty string). A template that fails at send time never loses
 * the notification: the plain message with every fact goes instead, and the error is reported.
 */
export class EmailTemplates {
  private constructor(private readonly compiled: Map<string, Compiled>) {}

  static load(dir: string): EmailTemplates {
    if (!existsSync(dir)) throw new TemplateError(dir, 'folder not found');
    const handlebars = Handlebars.create();
    const compiled = new Map<string, Compiled>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.hbs'))) {
      const name = file.slice(0, -'.hbs'.length);
      const part = name.slice(name.lastIndexOf('.') + 1) as Part;
      if (!PARTS.includes(part)) throw new TemplateError(file, `name must end in .subject.hbs, .text.hbs or .html.hbs`);
      const source = readFileSync(join(dir, file), 'utf8');
      try {
        // Precompile now so a syntax error stops start-up instead of the first notification.
        handlebars.precompile(source, { strict: true });
        compiled.set(name, handlebars.compile(source, { strict: true, noEscape: part !== 'html' }));
      } catch (error) {
        throw new TemplateError(file, (error as Error).message);
      }
    }
    for (const part of PARTS)
      if (!compiled.has(`default.${part}`)) throw new TemplateError(`default.${part}.hbs`, 'missing');
    return new EmailTemplates(compiled);
  }

  private template(message: NotificationMessage, part: Part): Compiled {
    return (
      this.compiled.get(`${message.event}.${part}`) ??
      this.compiled.get(`${message.family}.${part}`) ??
      this.compiled.get(`default.${part}`)!
    );
  }

  render(
    message: NotificationMessage,
    recipientName: string,
    onError: (error: Error) => void = () => undefined,
  ): RenderedEmail {
    const context = { ...message, recipientName };
    try {
      const [subject, text, html] = PARTS.map((part) => this.template(message, part)(context));
      return { subject: subject.replace(/\s+/g, ' ').trim(), text, html };
    } catch (error) {
      onError(error as Error);
      const text = plainText(message, `Hello ${recipientName},`);
      return {
        subject: message.title,
        text,
        html: `<pre>${escapeHtml(text)}</pre>`,
        templateError: (error as Error).message,
      };
    }
  }
}
