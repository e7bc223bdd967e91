import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/**
 * The instant the API received a request: taken by the request-log middleware as the request arrives
 * and carried in each command's update, so the command takes effect then, not when a worker gets to
 * it (docs/api.md, Instants).
 */
const RECEIVED_AT = Symbol('receivedAt');

type WithReceivedAt = { [RECEIVED_AT]?: number };

/** Notes the arrival (the first call wins). */
export function markReceived(request: object, at = Date.now()): void {
  (request as WithReceivedAt)[RECEIVED_AT] ??= at;
}

/** The arrival of the request, as an ISO instant (now for a request the middleware did not see). */
export function receivedAtOf(request: object): string {
  return new Date((request as WithReceivedAt)[RECEIVED_AT] ?? Date.now()).toISOString();
}

/** The request's arrival instant as a handler parameter. */
export const ReceivedAt = createParamDecorator((_data: unknown, ctx: ExecutionContext): string =>
  receivedAtOf(ctx.switchToHttp().getRequest<object>()),
);
