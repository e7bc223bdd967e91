// What an incident shows without its worker: search attributes and memo (docs/escalation.md).
import { condition, patched, upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import type { IncidentStatus, IncidentWorkflowInput } from '../../libs/contracts/src/incident';
import { incidentPublication, publicationAtIntake } from '../../libs/contracts/src/incident-publication';
import type { IncidentCase } from './incident-case';

/**
 * Patch id of the status kept in the memo: incidents started since upsert their whole status (what
 * the query answers) whenever a workflow task changed it, so `GET /v1/incidents/:id` answers from
 * describe() without a worker. Incidents started before replay as they ran and are read by query.
 */
export const STATUS_IN_MEMO_PATCH = 'status-in-memo';

/**
 * Patch id of bounded histories: the memo's status carries the last MEMO_TIMELINE_ENTRIES timeline
 * entries (and the total), so an upsert has a bounded size whatever the number of changes (the whole
 * timeline is paged by the `timeline` query), and a long-lived run continues as new (incident.workflow.ts).
 * Runs started before keep upserting the whole status and never continue as new.
 */
export const BOUNDED_HISTORY_PATCH = 'bounded-history';

/** Counts a local activity while it runs and hands back the same promise (StatusPublisher.countLocal). */
export type LocalActivityCounter = <T>(run: Promise<T>) => Promise<T>;

export class StatusPublisher {
  /** Decided once, at the start of the run: a run that began without the patch keeps publishing as it did. */
  private readonly statusInMemo: boolean;
  /** Decided once, at the start of the run (BOUNDED_HISTORY_PATCH). */
  readonly boundedHistory: boolean;
  private lastPublished = '';
  /** The status JSON last upserted into the memo (always '' without STATUS_IN_MEMO_PATCH). */
  private lastStatus = '';
  /** Local activities running (clock planning, measuring, a delivery's first attempt): see keepStatusCurrent. */
  private localRunning = 0;

  constructor(private readonly incident: IncidentCase) {
    this.statusInMemo = patched(STATUS_IN_MEMO_PATCH);
    this.boundedHistory = this.statusInMemo && patched(BOUNDED_HISTORY_PATCH);
  }

  /** Counts a local activity while it runs; hands back the same promise (no extra await to reorder replays). */
  readonly countLocal: LocalActivityCounter = (run) => {
    this.localRunning++;
    run.then(
      () => this.localRunning--,
      () => this.localRunning--,
    );
    return run;
  };

  /** The start request carried the first clock's memo and search attributes: nothing to re-publish. */
  startedWith(input: IncidentWorkflowInput): void {
    this.lastPublished = publicationAtIntake(input).key;
  }

  /** A continued run: the previous run published the memo and search attributes just before it ended. */
  continued(): void {
    this.lastPublished = this.publication().key;
    this.lastStatus = this.statusJson();
  }

  /** Where a change of the small memo is made; with STATUS_IN_MEMO_PATCH keepStatusCurrent does it. */
  publish(): void {
    if (!this.statusInMemo) this.publishNow();
  }

  /** Search attributes and memo, only what changed (each upsert is a history event). */
  publishNow(): void {
    const next = this.publication();
    const statusJson = this.statusInMemo ? this.statusJson() : this.lastStatus;
    const smallChanged = next.key !== this.lastPublished;
    const statusChanged = statusJson !== this.lastStatus;
    if (!smallChanged && !statusChanged) return;
    if (smallChanged) upsertSearchAttributes(next.attributes);
    // upsertMemo merges: the API's intakeHash (and whichever part did not change) stays as it was.
    // The status goes as a parsed copy: the live object keeps changing after this command.
    upsertMemo({
      ...(smallChanged ? next.memo : {}),
      ...(statusChanged ? { status: JSON.parse(statusJson) as IncidentStatus } : {}),
    });
    this.lastPublished = next.key;
    this.lastStatus = statusJson;
  }

  /**
   * With STATUS_IN_MEMO_PATCH: conditions are checked once an activation's jobs ran, so a workflow task
   * that changed the status upserts it, whichever handler, timer or activity result made the change. A
   * local activity's result usually lands in the same workflow task, and each upsert is a history event:
   * the status waits for running local activities to end (a step's delivery shows once its first attempt
   * ended) unless what lists and search attributes show changed (state, due instant, severity, priority).
   */
  keepStatusCurrent(): void {
    if (!this.statusInMemo) return;
    const smallUnpublished = () => this.publication().key !== this.lastPublished;
    const statusUnpublished = () => this.statusJson() !== this.lastStatus;
    void (async () => {
      for (;;) {
        await condition(() => smallUnpublished() || (this.localRunning === 0 && statusUnpublished()));
        this.publishNow();
      }
    })();
  }

  /** The status as the memo holds it: bounded with BOUNDED_HISTORY_PATCH, whole before it. */
  private statusJson(): string {
    return JSON.stringify(this.boundedHistory ? this.incident.boundedSnapshot() : this.incident.snapshot());
  }

  private publication() {
    return incidentPublication(this.incident.visibleState());
  }
}
