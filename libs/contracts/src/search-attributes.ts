import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes of the engine. The dev-server launcher and the
 * compose setup register exactly this list (see `searchAttributeRegistrations`).
 */
export const SA = {
  accountId: defineSearchAttributeKey('SlaAccountId', SearchAttributeType.KEYWORD),
  plan: defineSearchAttributeKey('SlaPlan', SearchAttributeType.KEYWORD),
  supportCenter: defineSearchAttributeKey('SlaSupportCenter', SearchAttributeType.KEYWORD),
  severity: defineSearchAttributeKey('SlaSeverity', SearchAttributeType.INT),
  priority: defineSearchAttributeKey('SlaPriority', SearchAttributeType.INT),
  state: defineSearchAttributeKey('SlaState', SearchAttributeType.KEYWORD),
  ihrDueAt: defineSearchAttributeKey('SlaIhrDueAt', SearchAttributeType.DATETIME),
  owner: defineSearchAttributeKey('SlaOwner', SearchAttributeType.KEYWORD),
  /** `late` once a response was recorded more than 15 min after its claimed instant (the IHR report lists them). */
  lateResponse: defineSearchAttributeKey('SlaLateResponse', SearchAttributeType.KEYWORD),
} as const;

/** The CLI spells types as `Keyword`, `Int`, `Datetime`. */
const CLI_TYPE_NAMES: Record<string, string> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DATETIME]: 'Datetime',
};

/**
 * `Name=Type` pairs for `temporal server start-dev --search-attribute` and `temporal operator search-attribute create`.
 */
export function searchAttributeRegistrations(): string[] {
  return Object.values(SA).map((key) => `${key.name}=${CLI_TYPE_NAMES[key.type]}`);
}
