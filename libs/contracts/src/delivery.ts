/**
 * Longest a single webhook POST may take (activities/delivery.ts). Shared with the incident
 * workflow, whose local first attempt gets one such timeout for all of an event's subscribers.
 */
export const DELIVERY_TIMEOUT_MS = 10_000;
