import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  id: string;
  timestamp: number;
  /** Real time of receipt (the time-skipping server's workflow time differs: use `body.timestamp`). */
  receivedAt: number;
  headers: IncomingHttpHeaders;
  body: any;
  verified: boolean;
  status: number;
}

export interface WebhookReceiver {
  url: string;
  /** Every request, verified or not, in arrival order. */
  received: ReceivedWebhook[];
  /** Accepted (2xx) deliveries with a valid signature. */
  deliveries(): ReceivedWebhook[];
  /** HTTP status to answer with (default 204; any non-2xx makes the sender retry). */
  respondWith(status: number): void;
  close(): Promise<void>;
}

/**
 * A real local HTTP receiver that records every delivery and verifies it the way an integrator
 * would: with the official Standard Webhooks package, not with the engine's own signing code, so
 * a signature only the engine itself accepts fails the tests.
 */
export async function startWebhookReceiver(
  secret: string,
  options: { status?: number } = {},
): Promise<WebhookReceiver> {
  const webhook = new Webhook(secret);
  const received: ReceivedWebhook[] = [];
  let status = options.status ?? 204;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let verified: boolean;
      const id = String(req.headers['webhook-id'] ?? '');
      const timestamp = Number(req.headers['webhook-timestamp'] ?? 0);
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value[0] : (value ?? '')]),
      );
      try {
        webhook.verify(raw, headers); // throws WebhookVerificationError: bad signature, stale timestamp, missing header
        verified = true;
      } catch {
        verified = false;
      }
      const answer = verified ? status : 401;
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // keep raw text
      }
      received.push({ id, timestamp, receivedAt: Date.now(), headers: req.headers, body, verified, status: answer });
      res.statusCode = answer;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    deliveries: () => received.filter((r) => r.verified && r.status >= 200 && r.status < 300),
    respondWith(next) {
      status = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
