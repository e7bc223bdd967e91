import fc from 'fast-check';
import { BIG_RUN, EdgeCounter, PROPERTY_SEED, caseArb, edgeClassesOf, runsFor } from '../test-support/arbitraries';
import { Oracle } from '../test-support/oracle';
import { addBusinessTime, businessTimeBetween, compileCalendar } from './index';

const iso = (t: number) => new Date(t).toISOString();
let cases = 0;
const edges = new EdgeCounter();

afterAll(() => {
  if (BIG_RUN) console.log(`[business-time property] add/between/inverse: ${cases} cases, 0 mismatches`);
});

describe('addBusinessTime / businessTimeBetween agree with the minute-walking oracle', () => {
  it(
    'add == oracle, between(s, add(s, d)) == d, between(s, s + x) == oracle',
    () => {
      fc.assert(
        fc.property(caseArb, (c) => {
          cases++;
          const cal = compileCalendar(c.config);
          const oracle = new Oracle(c.config);
          const due = addBusinessTime(cal, c.start, c.duration);
          const expected = oracle.add(c.start, c.duration);
          edges.add(edgeClassesOf(oracle, c.start, c.duration, expected));
          if (due !== expected)
            throw new Error(
              `add mismatch: start ${iso(c.start)} d=${c.duration} lib ${iso(due)} oracle ${iso(expected)}`,
            );
          const back = businessTimeBetween(cal, c.start, due);
          if (back !== c.duration)
            throw new Error(`inverse mismatch: between(s, add(s, d)) = ${back}, d = ${c.duration}`);
          const end = c.start + c.span;
          const lib = businessTimeBetween(cal, c.start, end);
          const or = oracle.between(c.start, end);
          if (lib !== or) throw new Error(`between mismatch ${iso(c.start)}..${iso(end)} lib ${lib} oracle ${or}`);
          return true;
        }),
        { seed: PROPERTY_SEED, numRuns: runsFor(0.6, 150) },
      );
      // The generator weights exact edges (issue 14, item 16): each class is a real share of the cases.
      const shares = edges.shares();
      if (BIG_RUN) console.log(`[business-time property] add: edge shares ${JSON.stringify(shares)}`);
      expect(shares.startAtOpening).toBeGreaterThanOrEqual(0.1);
      expect(shares.startAtClosing).toBeGreaterThanOrEqual(0.1);
      expect(shares.dueAtClosing).toBeGreaterThanOrEqual(0.1);
    },
    BIG_RUN ? 24 * 3600_000 : 60_000,
  );
});
