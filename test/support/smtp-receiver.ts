import { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** Envelope recipients (RCPT TO). */
  to: string[];
  parsed: ParsedMail;
  raw: string;
  receivedAt: number;
}

export interface SmtpReceiver {
  url: string;
  received: ReceivedMail[];
  /** Answer every message with a permanent or temporary failure (e.g. 451) until `accept()`. */
  reject(code: number): void;
  accept(): void;
  close(): Promise<void>;
}

/** A real SMTP server on loopback (smtp-server) that keeps and parses (mailparser) every message. */
export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const received: ReceivedMail[] = [];
  let rejectWith: number | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (rejectWith !== undefined) {
          const error = Object.assign(new Error('test receiver refuses mail'), { responseCode: rejectWith });
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then(
          (parsed) => {
            received.push({ to: session.envelope.rcptTo.map((r) => r.address), parsed, raw, receivedAt: Date.now() });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    reject: (code) => (rejectWith = code),
    accept: () => (rejectWith = undefined),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
