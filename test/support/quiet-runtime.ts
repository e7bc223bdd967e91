import { DefaultLogger, Runtime } from '@temporalio/worker';

// One Temporal runtime per jest module registry, logging warnings only (workers are chatty at INFO).
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // already installed in this registry
}
