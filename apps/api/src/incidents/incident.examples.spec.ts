import { EXAMPLES } from './incident.examples';
import {
  OpenedIncidentSchema,
  openIncidentSchema,
  RecordedResponseSchema,
  recordResponseSchema,
} from './incident.schemas';

describe('published incident examples', () => {
  it.each([
    ['openIncident', openIncidentSchema, EXAMPLES.openIncident],
    ['opened', OpenedIncidentSchema, EXAMPLES.opened],
    ['recordResponse', recordResponseSchema, EXAMPLES.recordResponse],
    ['recorded', RecordedResponseSchema, EXAMPLES.recorded],
  ] as const)('%s matches its schema', (_name, schema, example) => {
    expect(schema.safeParse(example).error?.issues ?? []).toEqual([]);
  });
});
