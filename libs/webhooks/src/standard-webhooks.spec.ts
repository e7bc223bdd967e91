import { Webhook } from 'standardwebhooks';
import { signedHeaders } from './index';

// Receivers verify with the official Standard Webhooks package: what the engine signs must pass it.
describe('deliveries verified with the official standardwebhooks package', () => {
  const secret = `whsec_${Buffer.from('official-package-secret-0123456789').toString('base64')}`;
  const body = JSON.stringify({ type: 'ihr.breached', data: { incidentId: 'INC-1A2B3C4D5E6F' } });

  it('accepts a delivery the engine signed', () => {
    const headers = signedHeaders(secret, 'INC-1A2B3C4D5E6F.0.breach', body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('rejects a tampered body and a signature made with another secret', () => {
    const headers = signedHeaders(secret, 'id-1', body);
    expect(() => new Webhook(secret).verify(body.replace('breached', 'met'), headers)).toThrow();
    const other = `whsec_${Buffer.from('another-secret-0123456789').toString('base64')}`;
    expect(() => new Webhook(other).verify(body, headers)).toThrow();
  });
});
