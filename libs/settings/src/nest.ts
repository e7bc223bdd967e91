import { Provider } from '@nestjs/common';
import { Client } from '@temporalio/client';

/** Nest injection token for the Temporal `Client` (API services, worker activities that read workflows). */
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');

export const temporalClientProvider = (client: Client): Provider => ({ provide: TEMPORAL_CLIENT, useValue: client });
