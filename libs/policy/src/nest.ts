import { Provider } from '@nestjs/common';
import { loadPolicy } from './load';
import { Policy } from './policy';

/** Nest injection token for the loaded `Policy` (API and worker). */
export const POLICY = Symbol('POLICY');

/** Provides a given policy, or loads the configured file (and fails start-up if it is invalid). */
export function policyProvider(policy?: Policy): Provider {
  return policy ? { provide: POLICY, useValue: policy } : { provide: POLICY, useFactory: () => loadPolicy() };
}
