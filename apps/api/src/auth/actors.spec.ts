import { publicActor, withPublicActors } from './actors';

describe('actors as a customer sees them', () => {
  it('publicActor keeps names and drops key ids', () => {
    expect(publicActor('agent:key-agent-7')).toBe('agent');
    expect(publicActor('customer:acme-portal')).toBe('customer');
    expect(publicActor('Eve (support)')).toBe('Eve (support)');
  });

  it('withPublicActors rewrites actor, responder and every …By field at any depth, nothing else', () => {
    const body = {
      account: { accountId: 'acme', createdBy: 'admin:ops-key', tamId: 'jane.doe', notes: 'agent:x stays' },
      contacts: [{ contactId: 'C-1', registeredBy: 'tam:jane-key' }],
      changes: [{ actor: 'customer:acme-portal', field: 'name', from: 'admin:not-an-actor', to: 'B' }],
      requests: [{ requestedBy: 'customer:acme-portal', completedBy: null, scheduledBy: 'Jane Doe' }],
      outcome: { responder: 'agent:key-agent-7' },
      by: 'admin:kept',
    };
    expect(withPublicActors(body)).toEqual({
      account: { accountId: 'acme', createdBy: 'admin', tamId: 'jane.doe', notes: 'agent:x stays' },
      contacts: [{ contactId: 'C-1', registeredBy: 'tam' }],
      changes: [{ actor: 'customer', field: 'name', from: 'admin:not-an-actor', to: 'B' }],
      requests: [{ requestedBy: 'customer', completedBy: null, scheduledBy: 'Jane Doe' }],
      outcome: { responder: 'agent' },
      by: 'admin:kept',
    });
  });

  it('leaves what is not a plain object or array as it is', () => {
    const when = new Date(0);
    expect(withPublicActors({ at: when }).at).toBe(when);
    expect(withPublicActors('agent:key')).toBe('agent:key');
    expect(withPublicActors(undefined)).toBeUndefined();
  });
});
