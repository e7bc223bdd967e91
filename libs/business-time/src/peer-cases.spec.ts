import { PEER_CASES, PeerCase } from './fixtures/peer-cases';
import { addBusinessTime, businessTimeBetween, compileCalendar, isOpen, nextClosing, nextOpening } from './index';

function run(c: PeerCase): string | number | boolean {
  const cal = compileCalendar(c.calendar);
  const t = Date.parse(c.input[0]);
  switch (c.op) {
    case 'add':
      return new Date(addBusinessTime(cal, t, c.input[1] as number)).toISOString();
    case 'between':
      return businessTimeBetween(cal, t, Date.parse(c.input[1] as string));
    case 'isOpen':
      return isOpen(cal, t);
    case 'nextOpening':
      return new Date(nextOpening(cal, t)).toISOString();
    case 'nextClosing':
      return new Date(nextClosing(cal, t)).toISOString();
  }
}
/** ISO strings compare as instants (microsecond peer values keep their text). */
const norm = (v: string | number | boolean): string | number | boolean =>
  typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?(Z|[+-]\d\d:\d\d)$/.test(v)
    ? new Date(v).toISOString()
    : v;

describe('published cases of peer libraries', () => {
  it('has at least 30 cases from at least 3 sources', () => {
    expect(PEER_CASES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(PEER_CASES.map((c) => c.source.split(' ')[0])).size).toBeGreaterThanOrEqual(3);
    expect(new Set(PEER_CASES.map((c) => c.id)).size).toBe(PEER_CASES.length);
  });

  const agree = PEER_CASES.filter((c) => !c.differs);
  const differ = PEER_CASES.filter((c) => c.differs);

  it.each(agree.map((c) => [c.id, c] as const))('%s: same result as the peer', (_id, c) => {
    expect(run(c)).toEqual(norm(c.expected));
  });

  it.each(differ.map((c) => [c.id, c] as const))('%s: differs from the peer, follows our rule', (_id, c) => {
    expect(c.rule).toBeTruthy();
    expect(c.ours).toBeDefined();
    const ours = run(c);
    expect(ours).toEqual(norm(c.ours as string | number | boolean));
    expect(ours).not.toEqual(norm(c.expected));
  });
});
