import { INestApplicationContext } from '@nestjs/common';
import { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import { ClockActivities, HealthCheckActivities, NotificationActivities } from '../../../activities';
import { TASK_QUEUE } from '../../../libs/contracts/src';

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
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: require.resolve('../../../workflows') }),
  });
}
