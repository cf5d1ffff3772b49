import type { z } from 'zod';
import { AppError, type ErrorCode } from '../../shared/errors/app-error.js';
import { unsupportedBody } from './error-handler.js';

/** Fields whose failures have their own stable codes. */
const FIELD_CODES: Record<string, (issue: z.core.$ZodIssue, given: unknown) => ErrorCode> = {
  question: (issue, given) =>
    issue.code === 'too_big'
      ? 'QUESTION_TOO_LONG'
      : given !== undefined && given !== null && typeof given !== 'string'
        ? 'VALIDATION_FAILED'
        : 'QUESTION_EMPTY',
  as_of: () => 'BAD_DATE',
  timezone: () => 'BAD_TIMEZONE',
  webhook_url: () => 'WEBHOOK_URL_NOT_ALLOWED',
};

/**
 * Parse a request part with its zod schema, or throw a 4xx AppError naming the
 * first problem. The same schemas generate the OpenAPI document.
 */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what = 'body',
  req?: { headers: Record<string, unknown> },
): z.output<S> {
  // A body that arrived but was not read as JSON (multipart, XML…).
  if (what === 'body' && value === undefined && req?.headers['content-type'] !== undefined)
    throw unsupportedBody();
  if (
    what === 'body' &&
    (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value))
  ) {
    throw new AppError('VALIDATION_FAILED', 'request body must be a JSON object');
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = String(issue.path[0] ?? '');
  const given = (value as Record<string, unknown>)[field];
  const code = FIELD_CODES[field]?.(issue, given) ?? 'VALIDATION_FAILED';
  const where = issue.path.length > 0 ? issue.path.join('.') : what;
  const message =
    issue.code === 'unrecognized_keys'
      ? `unknown field(s): ${issue.keys.join(', ')}`
      : issue.code === 'invalid_type' && issue.path.length === 1 && given === undefined
        ? `${where} is required`
        : `${where}: ${issue.message}`;
  throw new AppError(code, message);
}
