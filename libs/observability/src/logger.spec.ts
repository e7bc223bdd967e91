import { Writable } from 'node:stream';
import { createLogger, maskEmails } from './logger';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { lines, logger: createLogger('test', { destination }) };
}

describe('structured logger', () => {
  it('masks emails in messages and fields, at any depth', () => {
    const { lines, logger } = capture();
    logger.info(
      { contact: { email: 'jane.doe@acme.example' }, list: ['bob@globex.example'] },
      'registered jane.doe@acme.example',
    );
    expect(lines[0].msg).toBe('registered j***@acme.example');
    expect(lines[0].contact).toEqual({ email: 'j***@acme.example' });
    expect(lines[0].list).toEqual(['b***@globex.example']);
    expect(JSON.stringify(lines[0])).not.toContain('jane.doe');
  });

  it('redacts authorization headers and secrets', () => {
    const { lines, logger } = capture();
    logger.info({ headers: { authorization: 'Bearer sla_secret' }, secret: 'whsec_x', apiKey: 'k' }, 'request');
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain('sla_secret');
    expect(text).not.toContain('whsec_x');
    expect(lines[0].secret).toBe('[redacted]');
  });

  it('writes JSON with service name, level and ISO time', () => {
    const { lines, logger } = capture();
    logger.warn('careful');
    expect(lines[0]).toMatchObject({ service: 'test', level: 40, msg: 'careful' });
    expect(String(lines[0].time)).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('leaves text without emails alone', () => {
    expect(maskEmails('IHR due Mon 10:00 Europe/Helsinki')).toBe('IHR due Mon 10:00 Europe/Helsinki');
  });
});
