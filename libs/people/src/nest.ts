import { Provider } from '@nestjs/common';
import { resolve } from 'node:path';
import { POLICY, Policy } from '../../policy/src';
import { createLogger } from '../../observability/src';
import { DEFAULT_PEOPLE_PATH } from './load';
import { DirectoryFile, DirectorySource } from './store';

/** Nest token for the `DirectorySource` (API and worker). */
export const PEOPLE = Symbol('PEOPLE');

/** Provides a given directory source, or the file at PEOPLE_DIRECTORY_PATH (start-up fails if it is invalid). */
export function peopleProvider(source?: DirectorySource): Provider {
  if (source) return { provide: PEOPLE, useValue: source };
  return {
    provide: PEOPLE,
    inject: [POLICY],
    useFactory: (policy: Policy) => {
      const path = resolve(process.env.PEOPLE_DIRECTORY_PATH || DEFAULT_PEOPLE_PATH);
      const log = createLogger('people-directory');
      return new DirectoryFile(
        path,
        policy,
        (error) =>
          log.error({ err: error.message, path }, 'people directory not reloaded: the previous one stays in force'),
        (directory) => log.info({ path, version: directory.version }, 'people directory reloaded'),
      );
    },
  };
}
