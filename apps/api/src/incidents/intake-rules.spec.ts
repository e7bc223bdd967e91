import { ApiRole } from '../../../../libs/auth/src';
import { Problem } from '../common/problem';
import { assertMaySetEnteredAt } from './intake-rules';

const caller = (role: ApiRole) => ({
  keyId: `${role}-key`,
  role,
  ...(role === 'customer' ? { accountId: 'acme', contactId: 'C1' } : {}),
});
const enteredAt = '2026-12-01T09:00:00Z';

describe('who may set enteredAt (issue 14, item 4)', () => {
  it.each(['agent', 'admin'] as const)('%s keys may', (role) => {
    expect(() => assertMaySetEnteredAt({ enteredAt }, caller(role))).not.toThrow();
  });

  it.each(['customer', 'tam'] as const)('%s keys get 403 naming the field and the rule', (role) => {
    let thrown: unknown;
    try {
      assertMaySetEnteredAt({ enteredAt }, caller(role));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Problem);
    expect(thrown).toMatchObject({ status: 403, errors: [{ field: 'enteredAt', rule: 'agentOrAdminOnly' }] });
  });

  it.each(['customer', 'tam', 'agent', 'admin'] as const)('without enteredAt, %s keys are not concerned', (role) => {
    expect(() => assertMaySetEnteredAt({}, caller(role))).not.toThrow();
  });
});
