import { stdoutSink } from './delivery';

describe('notification log sink', () => {
  it('masks email addresses in the line it writes to stdout, at any depth', () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      stdoutSink.write({
        msg: 'sla notification',
        data: { recipients: [{ role: 'tam', address: 'jane.doe@vendor.example' }] },
        unreached: [{ reason: 'Ann <ann@acme.example>' }],
      });
    } finally {
      spy.mockRestore();
    }
    expect(written).toHaveLength(1);
    expect(written[0]).not.toMatch(/jane\.doe@|ann@/);
    expect(JSON.parse(written[0])).toMatchObject({
      data: { recipients: [{ address: 'j***@vendor.example' }] },
      unreached: [{ reason: 'Ann <a***@acme.example>' }],
    });
  });
});
