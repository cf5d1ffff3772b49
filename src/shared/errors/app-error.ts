/**
 * Stable error codes. Clients switch on `code`, never on `message`, so a code
 * once published keeps its meaning.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  BAD_DATE: 400,
  BAD_TIMEZONE: 400,
  QUESTION_EMPTY: 400,
  QUESTION_TOO_LONG: 400,
  WEBHOOK_URL_NOT_ALLOWED: 400,
  IMPORT_INVALID: 400,
  PIPELINE_REJECTED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  SHOP_NOT_FOUND: 404,
  JOB_NOT_FOUND: 404,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  IDEMPOTENCY_KEY_REUSED: 409,
  SHOP_EXISTS: 409,
  IDEMPOTENCY_KEY_IN_USE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  QUEUE_FULL: 429,
  INTERNAL: 500,
  NOT_UNDERSTOOD: 422,
  LLM_UNAVAILABLE: 503,
  LLM_FAILED: 502,
  QUERY_FAILED: 500,
  QUERY_TIMEOUT: 504,
  RESULT_TOO_LARGE: 422,
  DATA_STORE_UNAVAILABLE: 503,
  VECTOR_STORE_UNAVAILABLE: 503,
  REDIS_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface AppErrorOptions {
  /** Whether a worker should retry the job (transient) or fail it at once. */
  retryable?: boolean;
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** The one error type that crosses module boundaries with a stable code. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly httpStatus: number;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.httpStatus = ERROR_CODES[code];
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }

  toBody(): { error: { code: ErrorCode; message: string } & Record<string, unknown> } {
    return { error: { code: this.code, message: this.message, ...(this.details ?? {}) } };
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
