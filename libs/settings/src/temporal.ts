import { readFileSync } from 'node:fs';
import { Client, Connection, ConnectionOptions } from '@temporalio/client';
import { NativeConnection, NativeConnectionOptions } from '@temporalio/worker';
import { AppConfig, appConfig } from './config';

/** How the API and the worker reach Temporal: the dev server by default, any cluster by env. */
export interface TemporalSettings {
  address: string;
  namespace: string;
  /** mTLS client pair (self-hosted) or plain TLS (`TEMPORAL_TLS=true`, or implied by an API key). */
  tls?: { clientCertPair?: { crt: Buffer; key: Buffer }; serverNameOverride?: string } | true;
  apiKey?: string;
}

/** From the validated configuration (the cert/key pair rule is checked there, at start-up). */
export function temporalSettings(config: AppConfig = appConfig()): TemporalSettings {
  const certPath = config.TEMPORAL_TLS_CERT_PATH;
  const keyPath = config.TEMPORAL_TLS_KEY_PATH;
  const apiKey = config.TEMPORAL_API_KEY;
  let tls: TemporalSettings['tls'];
  if (certPath && keyPath) {
    tls = {
      clientCertPair: { crt: readFileSync(certPath), key: readFileSync(keyPath) },
      serverNameOverride: config.TEMPORAL_TLS_SERVER_NAME,
    };
  } else if (apiKey || config.TEMPORAL_TLS === 'true') {
    tls = true;
  }
  return {
    address: config.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    namespace: config.TEMPORAL_NAMESPACE,
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
