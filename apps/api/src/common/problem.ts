/** One violated rule, named so a client can show it next to the field. */
export interface FieldError {
  field: string;
  rule: string;
  message: string;
}

/**
 * An RFC 9457 problem. Thrown anywhere in the API; the filter renders it as
 * `application/problem+json` with `errors: [{ field, rule, message }]`.
 */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors: FieldError[] = [],
    readonly extra: Record<string, unknown> = {},
    /** Response headers that belong to this problem (WWW-Authenticate, Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
    this.name = 'Problem';
  }

  /** The same problem with more members and headers. */
  withExtra(extra: Record<string, unknown>, headers: Record<string, string> = {}): Problem {
    return new Problem(
      this.status,
      this.title,
      this.detail,
      this.errors,
      { ...this.extra, ...extra },
      { ...this.headers, ...headers },
    );
  }

  static badRequest(errors: FieldError[], detail = 'The request does not match the schema.'): Problem {
    return new Problem(400, 'Invalid request', detail, errors);
  }

  static unprocessable(errors: FieldError[], detail?: string): Problem {
    return new Problem(422, 'Request cannot be processed', detail ?? errors.map((e) => e.message).join('; '), errors);
  }

  static notFound(detail: string): Problem {
    return new Problem(404, 'Not found', detail);
  }

  static forbidden(detail: string): Problem {
    return new Problem(403, 'Forbidden', detail);
  }

  static unavailable(detail: string, retryAfterSeconds = 5): Problem {
    return new Problem(503, 'Service unavailable', detail, [], {}, { 'Retry-After': String(retryAfterSeconds) });
  }

  static conflict(detail: string, errors: FieldError[] = []): Problem {
    return new Problem(409, 'Conflict', detail, errors);
  }
}
