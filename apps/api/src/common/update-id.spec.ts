import { Problem } from './problem';
import { assignCommandKey, commandIdentity, commandKeyOf, sameCommand, withFingerprint } from './update-id';

describe('command keys', () => {
  it("keeps the client's key, or generates a fresh prefixed one per request, and remembers it on the request", () => {
    const given = {};
    expect(assignCommandKey(given, 'portal-1')).toBe('portal-1');
    expect(commandKeyOf(given)).toBe('portal-1');
    const [a, b] = [{}, {}];
    const [keyA, keyB] = [assignCommandKey(a, undefined), assignCommandKey(b, undefined)];
    expect(keyA).toMatch(/^api-[0-9a-f-]{36}$/);
    expect(keyA).not.toBe(keyB);
    expect(commandKeyOf(a)).toBe(keyA);
    expect(commandKeyOf({})).toBeUndefined();
  });
});

describe('command identity', () => {
  const body = { kind: 'solution', respondedAt: '2026-03-02T09:00:00.000Z', nested: { b: 1, a: [2, { d: 1, c: 2 }] } };
  const reordered = {
    nested: { a: [2, { c: 2, d: 1 }], b: 1 },
    respondedAt: '2026-03-02T09:00:00.000Z',
    kind: 'solution',
  };

  it('derives the update ID from scope and key only, and the fingerprint from scope and body, key order ignored', () => {
    const one = commandIdentity('response', 'k1', body);
    expect(commandIdentity('response', 'k1', reordered)).toEqual(one);
    expect(commandIdentity('response', 'k1', { ...body, kind: 'workaround' }).updateId).toBe(one.updateId);
    expect(commandIdentity('response', 'k1', { ...body, kind: 'workaround' }).fingerprint).not.toBe(one.fingerprint);
    expect(commandIdentity('resolve', 'k1', body).updateId).not.toBe(one.updateId);
    expect(commandIdentity('resolve', 'k1', body).fingerprint).not.toBe(one.fingerprint);
    expect(commandIdentity('response', 'k2', body).updateId).not.toBe(one.updateId);
    // An absent member and an undefined one are the same body.
    expect(commandIdentity('response', 'k1', { ...body, note: undefined }).fingerprint).toBe(one.fingerprint);
  });

  it('puts the fingerprint in the argument without changing the original', () => {
    const command = commandIdentity('severity', 'k', { severity: 1 });
    const argument = { severity: 1, reason: 'down' };
    expect(withFingerprint(argument, command)).toEqual({
      severity: 1,
      reason: 'down',
      requestFingerprint: command.fingerprint,
    });
    expect(argument).toEqual({ severity: 1, reason: 'down' });
  });

  it("returns the result without the echo when it is the command's own, and 409 when it is another body's", () => {
    const command = commandIdentity('resolve', 'k', { summary: 'patched' });
    expect(sameCommand({ state: 'met', requestFingerprint: command.fingerprint }, command)).toEqual({ state: 'met' });
    // Results of workflows that predate the echo carry none: nothing to compare.
    expect(sameCommand({ state: 'met' }, command)).toEqual({ state: 'met' });
    const other = commandIdentity('resolve', 'k', { summary: 'something else' });
    let thrown: unknown;
    try {
      sameCommand({ state: 'met', requestFingerprint: other.fingerprint }, command);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Problem);
    expect(thrown).toMatchObject({ status: 409, errors: [{ field: 'Idempotency-Key', rule: 'sameBody' }] });
  });
});
