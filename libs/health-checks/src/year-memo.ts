// The offer task and memo of a contract year, built once for the year's workflow (which publishes
// them) and for the API/activities that start it (memo set at start so lists show the year at once).
// Imports only contracts: the workflow bundle takes this file directly, never this library's index.
import type {
  AccountReviewTask,
  HealthCheckInput,
  HealthCheckKind,
  HealthCheckMemo,
  HealthCheckTask,
  OfferTask,
} from '../../contracts/src/health-check';
import { taskId } from '../../contracts/src/health-check';

/** The open task "offer the annual health check(s)" of the year: every kind open until the year's end. */
export function openOffer(
  input: Pick<HealthCheckInput, 'accountId' | 'contractYear' | 'owner' | 'ownerKind' | 'end' | 'kinds'>,
  createdAt: string,
): OfferTask {
  return {
    taskId: taskId(input.accountId, input.contractYear, 'offer'),
    kind: 'offer',
    title: `offer the annual health check(s): ${input.kinds.join(' + ')}`,
    state: 'open',
    owner: input.owner,
    ownerKind: input.ownerKind,
    createdAt,
    dueAt: input.end,
    offers: Object.fromEntries(input.kinds.map((k) => [k, { status: 'open' }])),
    outcome: null,
  };
}

/** The year's memo; `reviews` only when the year knows account reviews (older years have none). */
export function yearMemo(
  year: Pick<HealthCheckInput, 'accountId' | 'contractYear' | 'start' | 'end' | 'supportCenter'>,
  state: {
    planId: string;
    kinds: HealthCheckKind[];
    offer: OfferTask;
    requests: Partial<Record<HealthCheckKind, HealthCheckTask>>;
    reviews?: AccountReviewTask[];
  },
): HealthCheckMemo {
  return {
    accountId: year.accountId,
    contractYear: year.contractYear,
    start: year.start,
    end: year.end,
    planId: state.planId,
    supportCenter: year.supportCenter,
    kinds: state.kinds,
    offer: state.offer,
    requests: state.requests,
    ...(state.reviews ? { reviews: state.reviews } : {}),
  };
}
