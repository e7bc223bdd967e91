import { readFileSync } from 'node:fs';
import { Client, Connection, ConnectionOptions } from '@temporalio/client';
import { NativeConnection, NativeConnectionOptions } from '@temporalio/worker';

/** How the API and the worker reach Temporal: the dev server by default, any cluster by env. */
export interface TemporalSettings {
  address: string;
  namespace: string;
  /** mTLS client pair (self-hosted) or plain TLS (`TEMPORAL_TLS=true`, or implied by an API key). */
  tls?: { clientCertPair?: { crt: Buffer; key: Buffer }; serverNameOverride?: string } | true;
  apiKey?: string;
}

export function temporalSettings(env: NodeJS.ProcessEnv = process.env): TemporalSettings {
  const certPath = env.TEMPORAL_TLS_CERT_PATH;
  const keyPath = env.TEMPORAL_TLS_KEY_PATH;
  if (Boolean(certPath) !== Boolean(keyPath)) {
    throw new Error('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be set together');
  }
  const apiKey = env.TEMPORAL_API_KEY || undefined;
  let tls: TemporalSettings['tls'];
  if (certPath && keyPath) {
    tls = {
      clientCertPair: { crt: readFileSync(certPath), key: readFileSync(keyPath) },
      serverNameOverride: env.TEMPORAL_TLS_SERVER_NAME || undefined,
    };
  } else if (apiKey || env.TEMPORAL_TLS === 'true') {
    tls = true;
  }
  return {
    address: env.TEMPORAL_ADDRESS || '127.0.0.1:7233',
    namespace: env.TEMPORAL_NAMESPACE || 'default',
    tls,
    apiKey,
  };
}

function connectionOptions(settings: TemporalSettings): ConnectionOptions & NativeConnectionOptions {
  const tls = settings.tls === true ? {} : settings.tls;
  return { address: settings.address, tls, apiKey: settings.apiKey };
}

export async function connectClient(settings: TemporalSettings): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(settings));
  return new Client({ connection, namespace: settings.namespace });
}

export function connectWorker(settings: TemporalSettings): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(settings));
}
