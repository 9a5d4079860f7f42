/** A field-level problem with input, reported to the caller as 400 with a message per field. */
export type FieldProblem = { field: string; code: string; message: string };

/** Errors the HTTP edge maps to 4xx; everything else becomes a 500 with no internals in the body. */
export class RequestError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly fields: FieldProblem[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'RequestError';
  }
}

export class ValidationError extends RequestError {
  constructor(fields: FieldProblem[], message = 'The request has invalid fields.') {
    super(400, 'invalid_request', message, fields);
    this.name = 'ValidationError';
  }
}

/** A write lost a race (condition failed or a transaction conflict); the caller re-reads and retries. */
export class ConcurrencyConflict extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConcurrencyConflict';
  }
}
