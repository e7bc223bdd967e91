import { sign, signedHeaders, verify, WebhookVerificationError } from '.';

// Published vector of the Standard Webhooks reference library
// (standard-webhooks/standard-webhooks, libraries/javascript/src/webhook.test.ts, "sign function works").
const vector = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('Standard Webhooks signing', () => {
  it('matches the published test vector', () => {
    expect(sign(vector.secret, vector.id, vector.timestamp, vector.body)).toBe(vector.signature);
  });

  it('verifies the published vector at its time, with lower-case or Headers headers', () => {
    const headers = {
      'webhook-id': vector.id,
      'webhook-timestamp': String(vector.timestamp),
      'webhook-signature': vector.signature,
    };
    expect(verify(vector.secret, vector.body, headers, { nowMs: vector.timestamp * 1000 })).toEqual({
      id: vector.id,
      timestamp: vector.timestamp,
    });
    expect(
      verify(vector.secret, vector.body, new Headers(headers), { nowMs: vector.timestamp * 1000 + 60_000 }).id,
    ).toBe(vector.id);
  });

  it('accepts one valid signature among several (key rotation)', () => {
    const headers = {
      'webhook-id': vector.id,
      'webhook-timestamp': String(vector.timestamp),
      'webhook-signature': `v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,xyz ${vector.signature}`,
    };
    expect(() => verify(vector.secret, vector.body, headers, { nowMs: vector.timestamp * 1000 })).not.toThrow();
  });

  it('uses an unprefixed secret as raw bytes', () => {
    const h = signedHeaders('plain-secret', 'm1', '{}', 1_700_000_000_000);
    expect(h['webhook-timestamp']).toBe('1700000000');
    expect(verify('plain-secret', '{}', h, { nowMs: 1_700_000_000_000 }).id).toBe('m1');
    expect(() => verify('whsec_cGxhaW4tc2VjcmV0', '{}', h, { nowMs: 1_700_000_000_000 })).not.toThrow(); // base64('plain-secret')
    expect(() => verify('other', '{}', h, { nowMs: 1_700_000_000_000 })).toThrow(WebhookVerificationError);
  });

  it.each([
    ['tampered body', (h: Record<string, string>) => h, '{"test": 1}', 0],
    ['missing id', ({ 'webhook-id': _i, ...h }: Record<string, string>) => h, vector.body, 0],
    ['bad timestamp', (h: Record<string, string>) => ({ ...h, 'webhook-timestamp': 'hello' }), vector.body, 0],
    ['partial signature', (h: Record<string, string>) => ({ ...h, 'webhook-signature': 'v1,' }), vector.body, 0],
    ['too old', (h: Record<string, string>) => h, vector.body, 301_000],
    ['too new', (h: Record<string, string>) => h, vector.body, -301_000],
  ])('rejects %s', (_name, mutate, body, skewMs) => {
    const headers = mutate({
      'webhook-id': vector.id,
      'webhook-timestamp': String(vector.timestamp),
      'webhook-signature': vector.signature,
    });
    expect(() => verify(vector.secret, body, headers, { nowMs: vector.timestamp * 1000 + skewMs })).toThrow(
      WebhookVerificationError,
    );
  });
});
