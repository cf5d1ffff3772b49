import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs: a constant message, variables in fields, errors as
 * `{ err }`. Keys and secrets are redacted wherever they appear.
 */
export function createLogger(options: { level: string; name: string }): Logger {
  return pino({
    name: options.name,
    level: options.level,
    redact: {
      paths: [
        'req.headers.authorization',
        'headers.authorization',
        '*.api_key',
        '*.secret',
        '*.webhook_secret',
        'api_key',
        'secret',
      ],
      censor: '[redacted]',
    },
  });
}
