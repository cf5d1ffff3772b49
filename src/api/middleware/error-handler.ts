import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { AppError } from '../../shared/errors/app-error.js';
import type { Logger } from '../../shared/logging/logger.js';
import { openApiDocument } from '../docs/openapi-document.js';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

/** Translate body-parser failures into our stable codes. */
function fromBodyParser(err: BodyParserError, req: Request): AppError | null {
  switch (err.type) {
    case 'entity.parse.failed':
      // A form or text body that is not JSON was not meant as JSON at all.
      return req.is(JSON_TYPES)
        ? new AppError('MALFORMED_JSON', 'request body is not valid JSON')
        : unsupportedBody();
    case 'entity.too.large':
      return new AppError('PAYLOAD_TOO_LARGE', 'request body is larger than 16 KB');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'request body must be UTF-8 JSON');
    default:
      return null;
  }
}

/**
 * The only place errors become HTTP responses: AppErrors keep their code and
 * status; anything else is logged and answered as a bare 500 without internals.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const appError =
      err instanceof AppError
        ? err
        : err instanceof URIError
          ? // A path parameter that is not valid percent-encoding ("/api/jobs/%").
            new AppError('VALIDATION_FAILED', 'the URL is not validly encoded')
          : (fromBodyParser(err as BodyParserError, req) ?? null);
    if (appError) {
      if (appError.httpStatus >= 500) req.log?.warn({ err: appError }, 'request failed');
      res.status(appError.httpStatus).json(appError.toBody());
      return;
    }
    if (isRedisUnavailable(err)) {
      res
        .status(503)
        .json(new AppError('REDIS_UNAVAILABLE', 'the service is temporarily unavailable').toBody());
      return;
    }
    (req.log ?? logger).error({ err }, 'unhandled request error');
    res.status(500).json({ error: { code: 'INTERNAL', message: 'internal error' } });
  };
}

/**
 * ioredis failures when Redis (or part of a cluster) is down or still coming
 * back and the offline queue is disabled: a 503, never a 500.
 */
const REDIS_UNAVAILABLE =
  /Stream isn't writeable|enableOfflineQueue|Connection is closed|ECONNREFUSED|ECONNRESET|max retries per request|MaxRetriesPerRequest|Reached the max retries|CLUSTERDOWN|TRYAGAIN|LOADING|slots cache|startup nodes|Cluster redirections|Cluster isn't ready/i;

function isRedisUnavailable(err: unknown): boolean {
  const msg = err instanceof Error ? err.message : '';
  const name = (err as { name?: string })?.name;
  return (
    REDIS_UNAVAILABLE.test(msg) ||
    name === 'MaxRetriesPerRequestError' ||
    name === 'ClusterAllFailedError'
  );
}

/** Content types whose bodies are JSON by name. */
export const JSON_TYPES = ['application/json', 'application/*+json'];

export function unsupportedBody(): AppError {
  return new AppError(
    'UNSUPPORTED_MEDIA_TYPE',
    'request body must be JSON, sent with Content-Type: application/json',
  );
}

/** Each documented path as a pattern, with the methods it answers. */
let ROUTES: { pattern: RegExp; methods: string[] }[] | null = null;
function documentedRoutes(): { pattern: RegExp; methods: string[] }[] {
  ROUTES ??= Object.entries(
    (openApiDocument() as { paths?: Record<string, object> }).paths ?? {},
  ).map(([path, ops]) => ({
    pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}/?$`, 'i'),
    methods: Object.keys(ops).map((m) => m.toUpperCase()),
  }));
  return ROUTES;
}

/**
 * No route took the request: 405 with `Allow` when the path is one of the
 * API's with another method ("GET /api/ask"), else 404.
 */
export const notFound: RequestHandler = (req, res, next) => {
  const route = documentedRoutes().find((r) => r.pattern.test(req.path));
  if (route) {
    res.setHeader('Allow', route.methods.join(', '));
    next(
      new AppError(
        'METHOD_NOT_ALLOWED',
        `${req.method} is not allowed on ${req.path}; use ${route.methods.join(' or ')}`,
      ),
    );
    return;
  }
  next(new AppError('NOT_FOUND', 'no such endpoint'));
};
