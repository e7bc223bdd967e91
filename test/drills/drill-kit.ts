/**
 * Shared pieces of the fault drills (run by scripts/drill.js, one process per drill; not part of `npm test`):
 * a ladder stack (bench/load-stack.ts) with a short SPE target and a local webhook receiver, assertions on
 * what the receiver got, and the result line scripts/drill.js collects (`DRILL-RESULT {json}`).
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import {
  BenchStack,
  createAccount,
  incidentBody,
  sleep,
  StackOptions,
  startBenchStack,
  subscriber,
} from '../../bench/load-stack';
import { startWebhookReceiver, WebhookReceiver } from '../support/webhook-receiver';
import { BENCH_HOOK_SECRET } from '../../bench/load-stack';

export { assert, sleep };
export const LADDER = ['warn', 'at_risk', 'breach'] as const;

export async function until<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs: number,
  what: string,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

export interface LadderDrill {
  stack: BenchStack;
  receiver: WebhookReceiver;
  accountId: string;
  contact: string;
  run: string;
  /** Opens `count` SPE Sev 3 incidents (30 s target, 24x7) entered `backdateMs` ago: warn at +15 s from entry. */
  open(count: number, backdateMs: number): Promise<string[]>;
  /** Distinct webhook-ids delivered (2xx, signature verified) per incident. */
  deliveredIds(incidentId: string): string[];
  /** How many deliveries carried an id already delivered (recognisable retries). */
  repeats(ids: string[]): number;
  allDelivered(ids: string[]): boolean;
  close(): Promise<void>;
}

export async function ladderDrill(
  options: StackOptions & { extraSubscribers?: Array<ReturnType<typeof subscriber>> } = {},
): Promise<LadderDrill> {
  const receiver = await startWebhookReceiver(BENCH_HOOK_SECRET);
  const stack = await startBenchStack({
    ...options,
    policy: (doc) => {
      doc.plans.SPE.targets = { sev1: '20s', sev2: '40s', sev3: '30s', sev4: '60s' };
      doc.subscribers = [subscriber('drill', receiver.url), ...(options.extraSubscribers ?? [])];
      options.policy?.(doc);
    },
  });
  const run = randomBytes(4).toString('hex');
  const accountId = `drill-${run}`;
  const contact = await createAccount(stack, accountId, 'SPE');
  const mine = (incidentId: string) => receiver.deliveries().filter((d) => d.body?.data?.incidentId === incidentId);
  const drill: LadderDrill = {
    stack,
    receiver,
    accountId,
    contact,
    run,
    async open(count, backdateMs) {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const r = await stack.http(
          'POST',
          '/v1/incidents',
          incidentBody(accountId, contact, 3, { enteredAt: Date.now() - backdateMs, summary: `drill ${i}` }),
          {
            as: 'agent',
            headers: { 'Idempotency-Key': `drill-${run}-${Date.now()}-${i}` },
          },
        );
        assert.equal(r.status, 201, `open incident ${i}: ${r.status} ${JSON.stringify(r.body)}`);
        ids.push(r.body.incidentId);
      }
      return ids;
    },
    deliveredIds: (incidentId) => [...new Set(mine(incidentId).map((d) => d.id))].sort(),
    repeats: (ids) => ids.reduce((sum, id) => sum + mine(id).length - drill.deliveredIds(id).length, 0),
    allDelivered: (ids) => ids.every((id) => drill.deliveredIds(id).length >= LADDER.length),
    async close() {
      await stack.teardown();
      await receiver.close();
    },
  };
  return drill;
}

/**
 * Every incident got exactly its three ladder steps, each under one webhook-id (`<id>.0.<step>`), and its
 * status lists each step fired once, not before its instant.
 */
export async function assertLadderExactlyOnce(
  drill: LadderDrill,
  ids: string[],
): Promise<{ repeats: number; maxLatenessMs: number }> {
  let maxLatenessMs = 0;
  for (const id of ids) {
    assert.deepEqual(
      drill.deliveredIds(id),
      LADDER.map((step) => `${id}.0.${step}`).sort(),
      `webhook-ids delivered for ${id}`,
    );
    // The status shows a step once its delivery attempt ended, a moment after the receiver got it.
    const read = () => drill.stack.http('GET', `/v1/incidents/${id}`, undefined, { as: 'agent' });
    const status = await until(
      async () => {
        const answer = await read();
        return answer.status !== 200 || answer.body.degraded || answer.body.ladder.fired.length >= LADDER.length
          ? answer
          : undefined;
      },
      10_000,
      `status of ${id} shows its steps`,
    );
    assert.equal(status.status, 200);
    assert.notEqual(status.body.degraded, true, `status of ${id} answered in full`);
    const fired: Array<{ id: string; at: string; firedAt: string }> = status.body.ladder.fired;
    assert.deepEqual(fired.map((f) => f.id).sort(), [...LADDER].sort(), `ladder.fired of ${id} lists each step once`);
    for (const f of fired)
      assert.ok(
        Date.parse(f.firedAt) >= Date.parse(f.at),
        `${id} ${f.id} fired at ${f.firedAt}, before its instant ${f.at}`,
      );
    for (const d of drill.receiver.deliveries().filter((x) => x.body?.data?.incidentId === id)) {
      maxLatenessMs = Math.max(maxLatenessMs, d.receivedAt - Date.parse(d.body.data.stepAt));
    }
  }
  return { repeats: drill.repeats(ids), maxLatenessMs };
}

/** Runs a drill body and prints the line scripts/drill.js collects; exits 0 on success, 1 on failure. */
export function runDrill(name: string, body: () => Promise<Record<string, unknown>>): void {
  const t0 = Date.now();
  body().then(
    (details) => {
      process.stdout.write(
        `DRILL-RESULT ${JSON.stringify({ name, ok: true, seconds: Math.round((Date.now() - t0) / 1000), details })}\n`,
      );
      process.exit(0);
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      console.error(error);
      process.stdout.write(
        `DRILL-RESULT ${JSON.stringify({ name, ok: false, seconds: Math.round((Date.now() - t0) / 1000), details: { error: message.slice(0, 500) } })}\n`,
      );
      process.exit(1);
    },
  );
}
