/**
 * The retry schedule of webhook deliveries (BullMQ custom backoff type
 * 'webhook'): exponential ×3 from `baseMs`, capped at `maxMs`, with ±20% jitter
 * so a receiver coming back is not hit by every retry at once. With the
 * defaults (5 s, 3.5 h, 15 attempts) the last attempt is about a day after the
 * first. A receiver's `Retry-After` is honoured as a lower bound (capped at a
 * day, so a hostile header cannot park a delivery forever).
 */
export interface WebhookBackoffOptions {
  baseMs: number;
  maxMs: number;
  random?: () => number;
}

const RETRY_AFTER_CAP_MS = 24 * 3600 * 1000;

/** An attempt that failed and may be retried; carries the receiver's Retry-After. */
export class WebhookAttemptError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'WebhookAttemptError';
  }
}

export function webhookBackoffDelay(
  attemptsMade: number,
  options: WebhookBackoffOptions,
  err?: Error,
): number {
  const random = options.random ?? Math.random;
  const exp = Math.min(options.maxMs, options.baseMs * 3 ** Math.max(0, attemptsMade - 1));
  const jittered = Math.round(exp * (0.8 + 0.4 * random()));
  const retryAfter = err instanceof WebhookAttemptError ? err.retryAfterMs : undefined;
  return retryAfter !== undefined
    ? Math.max(jittered, Math.min(retryAfter, RETRY_AFTER_CAP_MS))
    : jittered;
}

/** The `settings.backoffStrategy` of the webhook worker. */
export function webhookBackoffStrategy(options: WebhookBackoffOptions) {
  return (attemptsMade: number, type?: string, err?: Error): number => {
    if (type !== 'webhook') return options.baseMs;
    return webhookBackoffDelay(attemptsMade, options, err);
  };
}
