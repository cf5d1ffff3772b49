import {
  askAcceptedSchema,
  askRequestSchema,
  errorBodySchema,
  jobRecordSchema,
} from '../schemas/ask.schemas.js';
import { z } from '../schemas/openapi-zod.js';
import { registry } from './openapi-registry.js';

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: errorBodySchema } },
});

registry.registerPath({
  method: 'post',
  path: '/api/ask',
  summary: 'Ask a question',
  description:
    'Validates and classifies the question, queues it and returns a job id at once (202). ' +
    'With `wait_ms` the answer comes back in the same response (200) when it is ready in time. ' +
    'A question answered recently comes back at once from the cache (200, `cache_hit: true`); an identical ' +
    'question still in flight returns that job. Responses carry `RateLimit-*` headers; 429 adds `Retry-After`.',
  security: [{ bearer: [] }],
  request: {
    headers: z.object({
      'idempotency-key': z.string().max(255).optional().openapi({
        description:
          'Same key and body: the first job again. Same key, other body: 409 IDEMPOTENCY_KEY_REUSED.',
      }),
    }),
    body: { content: { 'application/json': { schema: askRequestSchema } } },
  },
  responses: {
    200: {
      description: 'Answered within wait_ms',
      content: { 'application/json': { schema: jobRecordSchema } },
    },
    202: { description: 'Queued', content: { 'application/json': { schema: askAcceptedSchema } } },
    400: errorResponse(
      'Bad input: QUESTION_EMPTY, QUESTION_TOO_LONG, BAD_DATE, BAD_TIMEZONE, MALFORMED_JSON, VALIDATION_FAILED',
    ),
    401: errorResponse('Missing or wrong key'),
    403: errorResponse('The key belongs to another shop'),
    404: errorResponse('SHOP_NOT_FOUND'),
    413: errorResponse('Body over 16 KB'),
    409: errorResponse('IDEMPOTENCY_KEY_REUSED, IDEMPOTENCY_KEY_IN_USE'),
    429: errorResponse('RATE_LIMITED or QUEUE_FULL'),
    503: errorResponse('Redis unavailable'),
  },
});

registry.registerPath({
  method: 'get',
  path: '/api/jobs/{job_id}',
  summary: 'Read a job',
  description: 'Status, tier, timings; the answer when succeeded, `error` when failed.',
  security: [{ bearer: [] }],
  request: { params: z.object({ job_id: z.string() }) },
  responses: {
    200: { description: 'The job', content: { 'application/json': { schema: jobRecordSchema } } },
    404: errorResponse('JOB_NOT_FOUND'),
  },
});

registry.registerPath({
  method: 'get',
  path: '/health',
  summary: 'Liveness',
  responses: { 200: { description: 'The process is up' } },
});

registry.registerPath({
  method: 'get',
  path: '/health/ready',
  summary: 'Readiness of each dependency',
  description: 'redis, data_store, vector_store, llm: up, down or not_configured, with latency.',
  responses: {
    200: { description: 'Ready' },
    503: { description: 'Redis or the data store is down' },
  },
});
