import { INestApplicationContext } from '@nestjs/common';
import { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import { ClockActivities, HealthCheckActivities, NotificationActivities } from '../../../activities';
import { TASK_QUEUE } from '../../../libs/contracts/src';
import { appConfig, loadConfig } from '../../../libs/settings/src';
import { WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH } from './workflow-code';

/** The activity functions the worker registers, bound to their Nest-managed instances. */
export function activitiesFrom(app: INestApplicationContext) {
  const clock = app.get(ClockActivities);
  const notifications = app.get(NotificationActivities);
  const healthChecks = app.get(HealthCheckActivities);
  return {
    planIhrClock: clock.planIhrClock.bind(clock),
    measureBusinessTime: clock.measureBusinessTime.bind(clock),
    notify: notifications.notify.bind(notifications),
    planHealthCheckDue: healthChecks.planHealthCheckDue.bind(healthChecks),
    planHealthCheckReminder: healthChecks.planHealthCheckReminder.bind(healthChecks),
    notifyTask: healthChecks.notifyTask.bind(healthChecks),
    syncHealthCheckSchedule: healthChecks.syncHealthCheckSchedule.bind(healthChecks),
    reconcileHealthCheckSchedules: healthChecks.reconcileHealthCheckSchedules.bind(healthChecks),
    startHealthCheckYear: healthChecks.startHealthCheckYear.bind(healthChecks),
  };
}

export interface SlaWorkerOptions {
  app: INestApplicationContext;
  connection: NativeConnection;
  namespace: string;
  /** A prebuilt bundle (tests bundle once per run); default: bundle `workflows/` at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  taskQueue?: string;
}

/**
 * Workflows kept in the worker's sticky cache (WORKER_MAX_CACHED_WORKFLOWS, default 10,000). An open
 * incident waits on a timer for hours, and a read of one that fell out of the cache replays its history
 * first. The SDK's default follows the heap size (about 2,300 here), so a worker holding more open
 * incidents than that thrashed on reads (docs/operations.md).
 */
export function workerCacheSize(env?: NodeJS.ProcessEnv): number {
  // Validated with every other variable by the config module (libs/settings/src/config.ts).
  return (env ? loadConfig(env) : appConfig()).WORKER_MAX_CACHED_WORKFLOWS;
}

export function createSlaWorker(options: SlaWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? TASK_QUEUE,
    activities: activitiesFrom(options.app),
    // Pollers follow the backlog. With the default fixed 10 (2 of them on the shared queue where new
    // incidents' first tasks wait) one worker fell behind intake in bench/load, and queries and
    // responses on new incidents waited seconds behind that backlog (docs/operations.md).
    workflowTaskPollerBehavior: { type: 'autoscaling' },
    maxCachedWorkflows: workerCacheSize(),
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: WORKFLOWS_PATH, interceptors: { workflowModules: WORKFLOW_INTERCEPTOR_MODULES } }),
  });
}
