import fc from 'fast-check';
import { BIG_RUN, EdgeCounter, PROPERTY_SEED, caseArb, edgeClassesOf, runsFor } from '../test-support/arbitraries';
import { Oracle } from '../test-support/oracle';
import { compileCalendar, isOpen, nextClosing, nextOpening } from './index';

const iso = (t: number) => (Number.isFinite(t) ? new Date(t).toISOString() : String(t));
const LOOKAHEAD_MIN = 60 * 1440; // oracle looks 60 days ahead at most
let cases = 0;
const edges = new EdgeCounter();

afterAll(() => {
  if (BIG_RUN) console.log(`[business-time property] isOpen/nextOpening/nextClosing: ${cases} cases, 0 mismatches`);
});

describe('isOpen / nextOpening / nextClosing agree with the minute-walking oracle', () => {
  it(
    'point queries == oracle',
    () => {
      fc.assert(
        fc.property(caseArb, (c) => {
          cases++;
          const cal = compileCalendar(c.config);
          const oracle = new Oracle(c.config);
          const t = c.start;
          edges.add(edgeClassesOf(oracle, t, 0, t));
          const open = isOpen(cal, t);
          if (open !== oracle.isOpen(t)) throw new Error(`isOpen mismatch at ${iso(t)}: lib ${open}`);
          const no = nextOpening(cal, t);
          const noO = oracle.nextOpening(t, LOOKAHEAD_MIN);
          if (noO === undefined ? no < t + LOOKAHEAD_MIN * 60_000 : no !== noO)
            throw new Error(
              `nextOpening mismatch at ${iso(t)}: lib ${iso(no)} oracle ${noO === undefined ? 'none' : iso(noO)}`,
            );
          if (open !== (no === t)) throw new Error('nextOpening(t) === t must mean open at t');
          const nc = nextClosing(cal, t);
          const ncO = oracle.nextClosing(t, LOOKAHEAD_MIN);
          if (ncO === undefined ? nc < t + LOOKAHEAD_MIN * 60_000 : nc !== ncO)
            throw new Error(
              `nextClosing mismatch at ${iso(t)}: lib ${iso(nc)} oracle ${ncO === undefined ? 'none' : iso(ncO)}`,
            );
          if (Number.isFinite(nc) && isOpen(cal, nc)) throw new Error('closed at nextClosing expected');
          return true;
        }),
        { seed: PROPERTY_SEED + 1, numRuns: runsFor(0.4, 200) },
      );
      // The generator weights exact openings and closings (issue 14, item 16): each is a real share of the points.
      const shares = edges.shares();
      if (BIG_RUN) console.log(`[business-time property] points: edge shares ${JSON.stringify(shares)}`);
      expect(shares.startAtOpening).toBeGreaterThanOrEqual(0.1);
      expect(shares.startAtClosing).toBeGreaterThanOrEqual(0.1);
    },
    BIG_RUN ? 24 * 3600_000 : 60_000,
  );
});
