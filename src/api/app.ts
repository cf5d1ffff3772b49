import { randomUUID } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import compression from 'compression';
import express, { type Express, type Request } from 'express';
import { pinoHttp } from 'pino-http';
import swaggerUi from 'swagger-ui-express';
import type { Config } from '../shared/config/config.js';
import type { DataStore } from '../shared/data/data-store.js';
import type { JobEventHub } from '../shared/events/job-event-hub.js';
import type { RedisClient } from '../shared/redis/redis-connection.js';
import type { Logger } from '../shared/logging/logger.js';
import { allQueues, type Queues } from '../shared/queues/queues.js';
import type { ResultsStore } from '../shared/results/results-store.js';
import type { ShopRegistry } from '../shared/shops/shop-registry.js';
import type { SharedCounters } from '../shared/metrics/shared-counters.js';
import { ApiMetrics } from './metrics/api-metrics.js';
import { openApiDocument } from './docs/openapi-document.js';
import { authenticate, requireAdmin } from './middleware/auth.js';
import { errorHandler, JSON_TYPES, notFound } from './middleware/error-handler.js';
import { rateLimitQuestions } from './middleware/rate-limit.js';
import { askRouter } from './routes/ask.routes.js';
import { healthRouter, type ReadinessCheck } from './routes/health.routes.js';
import { feedbackRouter } from './routes/feedback.routes.js';
import { jobsRouter } from './routes/jobs.routes.js';
import { historyRouter } from './routes/history.routes.js';
import { jobEventsRouter } from './routes/job-events.routes.js';
import { consoleRouter } from './console/console.router.js';
import { shopsRouter } from './routes/shops.routes.js';
import { webhooksRouter } from './routes/webhooks.routes.js';
import { createTenancy } from './services/admission.factory.js';
import { QuestionService } from './services/question.service.js';

export interface AppDeps {
  logger: Logger;
  queues: Queues;
  results: ResultsStore;
  events: JobEventHub;
  shops: ShopRegistry;
  readiness: Record<string, ReadinessCheck>;
  /** Keys, limits, cache and webhook policy come from here. */
  config: Config;
  /** The API's own fail-fast connection (rate limits, cache, idempotency, keys). */
  redis: RedisClient;
  /** For the data version in cache keys and HTTP imports. */
  store: DataStore;
  /** Counters that workers keep in Redis; null leaves them out of /metrics. */
  counters?: SharedCounters | null;
}

/** Largest request body accepted; a question is at most 500 characters. */
const BODY_LIMIT = '16kb';

/** Build the Express app. `main.ts` listens; tests drive this with supertest. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
    }),
  );
  const metrics = new ApiMetrics(allQueues(deps.queues), deps.counters ?? null);
  deps.events.onAny((event) => metrics.observeJobEvent(event));
  app.use(metrics.middleware());
  app.use(
    compression({
      // A scalar answer is about 1 KB: compressing it costs both ends more time
      // than it saves on the wire. Tables, docs and console assets are larger.
      threshold: '4kb',
      // Event streams must reach the client as they are written, not when a
      // compression buffer fills.
      filter: (req, res) =>
        !String(res.getHeader('Content-Type') ?? '').startsWith('text/event-stream') &&
        compression.filter(req, res),
    }),
  );
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.use(
    express.json({
      limit: BODY_LIMIT,
      strict: false,
      // `curl -d '{…}'` sends a JSON body as a form, other tools as text or with
      // no type at all: those are read as JSON too (a form that is not JSON is a
      // 415), but only without an Origin header, so a browser on another site
      // cannot post such a "simple request" past the CORS preflight.
      type: (raw) => {
        const req = raw as Request;
        if (req.is(JSON_TYPES)) return true;
        if (req.headers.origin !== undefined) return false;
        return req.headers['content-type'] === undefined
          ? req.headers['content-length'] !== undefined ||
              req.headers['transfer-encoding'] !== undefined
          : Boolean(req.is(['text/plain', 'application/x-www-form-urlencoded']));
      },
    }),
  );

  const tenancy = createTenancy(deps);
  const questions = new QuestionService({
    queues: deps.queues,
    results: deps.results,
    events: deps.events,
    admission: tenancy.admission,
  });
  app.use(healthRouter(deps.readiness));
  app.use(consoleRouter());
  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  app.use(
    '/docs',
    swaggerUi.serve,
    swaggerUi.setup(undefined, { swaggerOptions: { url: '/openapi.json' } }),
  );

  // Everything under /api and /admin has a caller (admin, shop or open); see middleware/auth.ts.
  app.use(
    ['/api', '/admin'],
    authenticate({ adminKey: deps.config.ADMIN_API_KEY, shops: deps.shops }),
  );

  const board = new ExpressAdapter();
  board.setBasePath('/admin/queues');
  createBullBoard({
    queues: allQueues(deps.queues).map((q) => new BullMQAdapter(q)),
    serverAdapter: board,
  });
  app.use('/admin/queues', requireAdmin, board.getRouter());

  app.post(
    '/api/ask',
    rateLimitQuestions({
      limiter: tenancy.limiter,
      shops: deps.shops,
      defaultPerMinute: deps.config.RATE_LIMIT_PER_MINUTE,
    }),
  );
  app.use(askRouter({ shops: deps.shops, questions }));
  app.use(
    shopsRouter({
      shops: deps.shops,
      store: deps.store,
      queues: deps.queues,
      endpoints: tenancy.webhooks.endpoints,
    }),
  );
  app.use(webhooksRouter({ shops: deps.shops, webhooks: tenancy.webhooks }));
  app.use(historyRouter({ results: deps.results, shops: deps.shops }));
  app.use(jobsRouter({ results: deps.results }));
  app.use(jobEventsRouter({ results: deps.results, events: deps.events }));
  app.use(
    feedbackRouter({ results: deps.results, queues: deps.queues, cache: tenancy.admission.cache }),
  );

  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
