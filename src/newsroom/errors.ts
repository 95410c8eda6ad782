// One catalogue of failures with stable codes. The HTTP layer maps them to statuses and pages;
// the CLI prints their message. Nothing here knows about HTTP.
export type ErrorCode =
  | 'not_found'
  | 'gone'
  | 'invalid_input'
  | 'conflict'
  | 'forbidden'
  | 'unauthenticated'
  | 'rate_limited'
  | 'payload_too_large';

export class NewsroomError extends Error {
  readonly code: ErrorCode;
  /** Field → message, for forms that show errors next to their inputs. */
  readonly fields: Record<string, string>;
  /** Extra data a client needs to recover, e.g. both texts of an edit conflict. */
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, fields: Record<string, string> = {}, details?: unknown) {
    super(message);
    this.name = 'NewsroomError';
    this.code = code;
    this.fields = fields;
    this.details = details;
  }
}

export const notFound = (what: string) => new NewsroomError('not_found', `${what} was not found.`);

export function invalid(fields: Record<string, string>): NewsroomError {
  const first = Object.values(fields)[0] ?? 'The input is not valid.';
  return new NewsroomError('invalid_input', first, fields);
}
