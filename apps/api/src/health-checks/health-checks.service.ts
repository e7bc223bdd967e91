import { Inject, Injectable } from '@nestjs/common';
import {
  Client,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
} from '@temporalio/client';
import {
  AccountReviewTask,
  completeAccountReviewUpdate,
  completeHealthCheckUpdate,
  HEALTH_CHECK_LABELS,
  HEALTH_CHECK_WORKFLOW_TYPE,
  HealthCheckKind,
  HealthCheckMemo,
  HealthCheckTask,
  healthCheckWorkflowId,
  parseTaskId,
  ReconcileReport,
  requestHealthCheckUpdate,
  scheduleHealthCheckUpdate,
  Task,
} from '../../../../libs/contracts/src';
import { Principal } from '../../../../libs/auth/src';
import {
  calendarEntryFor,
  CalendarEntry,
  domainOf,
  feed,
  notificationSettingsFromEnv,
} from '../../../../libs/notifications/src';
import { DirectorySource, PEOPLE } from '../../../../libs/people/src';
import { POLICY, Policy } from '../../../../libs/policy/src';
import { AppConfig } from '../../../../libs/settings/src';

/** Pages of 100 a task feed reads at the most (a TAM with more than 2,000 tasks needs paging by state). */
const FEED_MAX_PAGES = 20;
import {
  contractYearAt,
  eligibleKinds,
  healthCheckInputFor,
  parseScheduledDate,
  reconcileSchedules,
  yearWorkflowStartOptions,
} from '../../../../libs/health-checks/src';
import { AccountAccess } from '../auth/account-access';
import { actorOf } from '../auth/actors';
import { Problem } from '../common/problem';
import { toProblemOrRethrow, withWorker } from '../common/temporal-calls';
import { commandIdentity, executeCommand, sameCommand, withFingerprint } from '../common/update-id';
import { APP_CONFIG } from '../core/app-config';
import { andQuery, listPage, literal, Page } from '../common/visibility';
import { TEMPORAL_CLIENT } from '../temporal.providers';
import { ListTasksQuery, RequestHealthCheckBody } from './health-check.schemas';

/** Memo merging drops empty objects: restore them. */
function normalizeMemo(memo: Record<string, unknown> | undefined): HealthCheckMemo | undefined {
  const value = memo as Partial<HealthCheckMemo> | undefined;
  if (!value?.offer || value.contractYear === undefined) return undefined;
  return {
    ...(value as HealthCheckMemo),
    requests: value.requests ?? {},
    kinds: value.kinds ?? [],
    reviews: value.reviews ?? [],
    offer: { ...value.offer, offers: value.offer.offers ?? {} },
  };
}

export type TaskView = Task & { accountId: string; contractYear: number; supportCenter: string; planId: string };

function tasksOf(memo: HealthCheckMemo): TaskView[] {
  const base = {
    accountId: memo.accountId,
    contractYear: memo.contractYear,
    supportCenter: memo.supportCenter,
    planId: memo.planId,
  };
  return [
    { ...memo.offer, ...base },
    ...Object.values(memo.requests).map((t) => ({ ...(t as HealthCheckTask), ...base })),
    ...(memo.reviews ?? []).map((t) => ({ ...t, ...base })),
  ];
}

@Injectable()
export class HealthChecksService {
  /** SMTP_FROM (the domain of calendar UIDs, as in invitations) and PUBLIC_BASE_URL, read once at start-up. */
  private readonly notificationSettings = notificationSettingsFromEnv();

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(POLICY) private readonly policy: Policy,
    @Inject(PEOPLE) private readonly people: DirectorySource,
    private readonly access: AccountAccess,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private async describeYear(workflowId: string): Promise<HealthCheckMemo | undefined> {
    try {
      return normalizeMemo((await this.client.workflow.getHandle(workflowId).describe()).memo);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  }

  /** `POST /v1/accounts/:id/health-checks`: the customer's request for this contract year. */
  async request(
    accountId: string,
    body: RequestHealthCheckBody,
    principal: Principal,
    idempotencyKey: string,
  ): Promise<HealthCheckTask> {
    const { account } = await this.access.assert(principal, accountId);
    const plan = this.policy.plan(account.plan);
    const kinds = eligibleKinds(this.policy, account.plan);
    if (!kinds.includes(body.kind)) {
      throw Problem.unprocessable([
        {
          field: 'kind',
          rule: 'planFeature',
          message:
            `plan ${account.plan} (${plan?.name ?? 'unknown'}) does not include the ${HEALTH_CHECK_LABELS[body.kind]}` +
            (kinds.length ? `; it includes: ${kinds.join(', ')}` : '; it includes no health checks'),
        },
      ]);
    }
    const prepared = healthCheckInputFor(this.policy, account, Date.now());
    if ('reason' in prepared) {
      throw Problem.unprocessable([
        { field: 'kind', rule: 'contractYear', message: `no contract year in progress: ${prepared.reason}` },
      ]);
    }
    const { input } = prepared;
    const preferredDates = (body.preferredDates ?? []).map((date, i) => {
      const t = parseScheduledDate(date, input.zone);
      if (t === undefined)
        throw Problem.badRequest([{ field: `preferredDates[${i}]`, rule: 'format', message: 'is not a valid date' }]);
      return new Date(t).toISOString();
    });
    const args = { kind: body.kind, preferredDates, actor: actorOf(principal) };
    const command = commandIdentity(`request:${input.contractYear}`, idempotencyKey, body);
    try {
      const what = `request a health check for ${accountId}`;
      return await withWorker(this.client, this.config.API_WORKER_WAIT_MS, what, async () =>
        sameCommand(
          await this.client.workflow.executeUpdateWithStart(requestHealthCheckUpdate, {
            args: [withFingerprint(args, command)],
            updateId: command.updateId,
            startWorkflowOperation: new WithStartWorkflowOperation(HEALTH_CHECK_WORKFLOW_TYPE, {
              ...yearWorkflowStartOptions(input),
              workflowIdConflictPolicy: 'USE_EXISTING',
            }),
          }),
          command,
        ),
      );
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) {
        throw Problem.conflict(`Contract year ${input.contractYear} of ${accountId} is closed.`, [
          { field: 'kind', rule: 'contractYearEnded', message: `contract year ${input.contractYear} is closed` },
        ]);
      }
      throw error;
    }
  }

  /** `GET /v1/accounts/:id/health-checks`: every contract year's health checks, the current one first. */
  async forAccount(accountId: string, principal: Principal) {
    const { account } = await this.access.assert(principal, accountId);
    const zone = this.policy.center(account.supportCenter)?.calendar.zone;
    const current = zone ? contractYearAt(account.contractStart, zone, Date.now()) : undefined;
    const years = new Map<number, HealthCheckMemo>();
    const page = await listPage(
      this.client,
      andQuery([`WorkflowType = ${literal(HEALTH_CHECK_WORKFLOW_TYPE)}`, `SlaAccountId = ${literal(accountId)}`]),
      100,
    );
    for (const info of page.items) {
      const memo = normalizeMemo(info.memo);
      if (memo) years.set(memo.contractYear, memo);
    }
    if (current) {
      // Strongly consistent read of the current year (visibility may lag behind a fresh request).
      const memo = await this.describeYear(healthCheckWorkflowId(accountId, current.contractYear));
      if (memo) years.set(memo.contractYear, memo);
    }
    return {
      accountId,
      planId: account.plan,
      eligibleKinds: eligibleKinds(this.policy, account.plan),
      currentContractYear: current ?? null,
      contractYears: [...years.values()].sort((a, b) => b.contractYear - a.contractYear),
    };
  }

  /** `GET /v1/tasks`: task-bearing workflows by owner through visibility, expanded into tasks. */
  async tasks(query: ListTasksQuery, principal: Principal): Promise<Page<TaskView> & { owner: string | null }> {
    // A TAM lists its own tasks only (the access table); admins may name any owner. TAM keys always
    // carry a tamId (refused at load otherwise), so a TAM's listing is always filtered.
    if (principal.role === 'tam' && query.owner !== undefined && query.owner !== principal.tamId) {
      throw new Problem(403, 'Forbidden', `A TAM key lists its own tasks only (owner ${principal.tamId}).`, [
        { field: 'owner', rule: 'ownTasks', message: 'must be the calling TAM, or left out' },
      ]);
    }
    const owner = principal.role === 'tam' ? principal.tamId : query.owner;
    // due_before: the snake_case name of the previous release, accepted as an alias for one release.
    const dueBeforeParam = query.dueBefore ?? query.due_before;
    const activeOnly = query.state === 'open' || query.state === 'scheduled';
    const page = await listPage(
      this.client,
      andQuery([
        `WorkflowType = ${literal(HEALTH_CHECK_WORKFLOW_TYPE)}`,
        owner !== undefined && `SlaOwner = ${literal(owner)}`,
        activeOnly && `SlaState = "open"`,
        activeOnly &&
          dueBeforeParam !== undefined &&
          `SlaIhrDueAt < ${literal(new Date(dueBeforeParam).toISOString())}`,
      ]),
      query.pageSize,
      query.pageToken,
    );
    const dueBefore = dueBeforeParam ? Date.parse(dueBeforeParam) : undefined;
    const items = page.items
      .map((info) => normalizeMemo(info.memo))
      .filter((memo): memo is HealthCheckMemo => Boolean(memo))
      .flatMap(tasksOf)
      .filter((task) => owner === undefined || task.owner === owner)
      .filter((task) => !query.state || task.state === query.state)
      .filter((task) => dueBefore === undefined || Date.parse(task.dueAt) < dueBefore);
    return { owner: owner ?? null, items, nextPageToken: page.nextPageToken };
  }

  /**
   * `GET /v1/tasks.ics`: the open and scheduled tasks of one owner (the calling TAM; admins may name
   * any owner, or none for all) as a subscribable calendar in the owner's zone. Every page is read
   * (at most FEED_MAX_PAGES of 100): a feed that silently stopped at page one would hide tasks.
   */
  async taskFeed(query: { owner?: string }, principal: Principal): Promise<string> {
    if (principal.role === 'tam' && !principal.tamId)
      throw Problem.forbidden('This TAM key names no tamId: it has no task feed.');
    // A TAM's feed is its own: another owner is refused (403 ownTasks) by the listing, as on GET /v1/tasks.
    const owner = principal.role === 'tam' ? (query.owner ?? principal.tamId) : query.owner;
    const tasks: TaskView[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < FEED_MAX_PAGES; page++) {
      const result = await this.tasks({ owner, state: undefined, pageSize: 100, pageToken }, principal);
      tasks.push(...result.items.filter((t) => t.state === 'open' || t.state === 'scheduled'));
      pageToken = result.nextPageToken ?? undefined;
      if (!pageToken) break;
    }
    const zone = (owner ? this.people.current().tam(owner)?.zone : undefined) ?? 'UTC';
    const settings = this.notificationSettings;
    const domain = domainOf(settings.smtpFrom);
    const entries = tasks
      .map((task) =>
        calendarEntryFor(
          task,
          task.accountId,
          zone,
          domain,
          settings.publicBaseUrl ? `${settings.publicBaseUrl}/v1/tasks/${encodeURIComponent(task.taskId)}` : undefined,
        ),
      )
      .filter((entry): entry is CalendarEntry => entry !== undefined);
    return feed(`Support tasks${owner ? `: ${owner}` : ''}`, zone, entries, new Date().toISOString());
  }

  /** The task's year memo, with the rule that TAM keys act on their own tasks and on queue tasks. */
  private async taskContext(id: string, principal: Principal) {
    const parsed = parseTaskId(id);
    if (!parsed) throw Problem.notFound(`No task ${id}.`);
    const memo = await this.describeYear(healthCheckWorkflowId(parsed.accountId, parsed.contractYear));
    if (!memo) throw Problem.notFound(`No task ${id}.`);
    if (principal.role === 'tam' && memo.offer.ownerKind === 'tam' && memo.offer.owner !== principal.tamId) {
      throw Problem.forbidden(`Task ${id} belongs to ${memo.offer.owner}.`);
    }
    if (parsed.kind === 'offer') {
      throw Problem.unprocessable([
        {
          field: 'id',
          rule: 'requestTask',
          message: "the offer task is answered by the customer's request; schedule and complete the <kind> task",
        },
      ]);
    }
    if (parsed.kind === 'review' && !(memo.reviews ?? []).some((t) => t.review === parsed.review))
      throw Problem.notFound(`No task ${id}.`);
    return {
      parsed,
      memo,
      handle: this.client.workflow.getHandle(healthCheckWorkflowId(parsed.accountId, parsed.contractYear)),
    };
  }

  async schedule(id: string, date: string, principal: Principal, idempotencyKey: string): Promise<HealthCheckTask> {
    const { parsed, memo, handle } = await this.taskContext(id, principal);
    if (parsed.kind === 'review') {
      throw Problem.unprocessable([
        {
          field: 'id',
          rule: 'reviewTask',
          message: 'an account review has no scheduling step: complete it with its summary once held',
        },
      ]);
    }
    const task = { kind: parsed.kind as HealthCheckKind, memo, handle };
    const zone = this.policy.center(task.memo.supportCenter)?.calendar.zone ?? 'UTC';
    const at = parseScheduledDate(date, zone);
    if (at === undefined) throw Problem.badRequest([{ field: 'date', rule: 'format', message: 'is not a valid date' }]);
    return withWorker(
      this.client,
      this.config.API_WORKER_WAIT_MS,
      `schedule task ${id}`,
      () =>
        executeCommand(
          task.handle,
          scheduleHealthCheckUpdate,
          { kind: task.kind, date: new Date(at).toISOString(), actor: actorOf(principal) },
          commandIdentity(`schedule:${task.kind}`, idempotencyKey, { date }),
        ),
      `No task ${id}.`,
    );
  }

  async complete(
    id: string,
    summary: string,
    principal: Principal,
    idempotencyKey: string,
  ): Promise<HealthCheckTask | AccountReviewTask> {
    const { parsed, handle } = await this.taskContext(id, principal);
    if (parsed.kind === 'review') {
      return withWorker(
        this.client,
        this.config.API_WORKER_WAIT_MS,
        `complete task ${id}`,
        () =>
          executeCommand(
            handle,
            completeAccountReviewUpdate,
            { review: parsed.review, summary, actor: actorOf(principal) },
            commandIdentity(`complete:review-${parsed.review}`, idempotencyKey, { summary }),
          ),
        `No task ${id}.`,
      );
    }
    const task = { kind: parsed.kind as HealthCheckKind, handle };
    return withWorker(
      this.client,
      this.config.API_WORKER_WAIT_MS,
      `complete task ${id}`,
      () =>
        executeCommand(
          task.handle,
          completeHealthCheckUpdate,
          { kind: task.kind, summary, actor: actorOf(principal) },
          commandIdentity(`complete:${task.kind}`, idempotencyKey, { summary }),
        ),
      `No task ${id}.`,
    );
  }

  async reconcile(): Promise<ReconcileReport> {
    try {
      return await reconcileSchedules(this.client, this.policy);
    } catch (error) {
      throw toProblemOrRethrow(error, 'reconcile health-check schedules');
    }
  }
}
