import { Router } from 'express';
import { suggestQuestions } from '../../shared/analytics/index.js';
import { AppError } from '../../shared/errors/app-error.js';
import type { JobRecord } from '../../shared/results/job-record.js';
import type { ResultsStore } from '../../shared/results/results-store.js';
import type { ShopRegistry } from '../../shared/shops/shop-registry.js';
import { registry } from '../docs/openapi-registry.js';
import { shopIdFor } from '../middleware/caller.js';
import { validate } from '../middleware/validate.js';
import { errorBodySchema, tierSchema } from '../schemas/ask.schemas.js';
import { z } from '../schemas/openapi-zod.js';

/** Query of GET /api/jobs. */
export const historyQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ example: 20 }),
  shop_id: z.coerce.number().int().positive().optional().openapi({
    description: 'Required with the admin key or in open mode; a shop key names its shop.',
  }),
});

/** One line of a shop's question history. */
export const jobSummarySchema = z
  .object({
    job_id: z.string(),
    question: z.string(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed']),
    tier: tierSchema,
    created_at: z.string(),
    finished_at: z.string().optional(),
    answer: z.string().optional().openapi({ description: 'The answer sentence, when succeeded.' }),
    error_code: z.string().optional().openapi({ description: 'When failed.' }),
    follow_up_of: z.string().optional(),
    cache_hit: z.boolean(),
  })
  .openapi('JobSummary');

export const historyResponseSchema = z
  .object({ shop_id: z.number().int(), jobs: z.array(jobSummarySchema) })
  .openapi('JobHistory');

export const suggestionsResponseSchema = z
  .object({ suggestions: z.array(z.string()) })
  .openapi('Suggestions');

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: errorBodySchema } },
});

registry.registerPath({
  method: 'get',
  path: '/api/jobs',
  summary: "The shop's recent questions",
  description:
    'Newest first, as summaries (GET /api/jobs/{job_id} has the whole job). Jobs whose ' +
    'record has expired are left out, so fewer than `limit` may come back.',
  security: [{ bearer: [] }],
  request: { query: historyQuerySchema },
  responses: {
    200: {
      description: 'Recent jobs',
      content: { 'application/json': { schema: historyResponseSchema } },
    },
    400: errorResponse('VALIDATION_FAILED (bad limit, or shop_id missing without a shop key)'),
    401: errorResponse('Missing or wrong key, or a keyed shop asked for without its key'),
    403: errorResponse('The key belongs to another shop'),
    404: errorResponse('SHOP_NOT_FOUND'),
  },
});

registry.registerPath({
  method: 'get',
  path: '/api/suggestions',
  summary: 'Example questions Tier 1 answers exactly',
  security: [{ bearer: [] }],
  responses: {
    200: {
      description: 'Example questions',
      content: { 'application/json': { schema: suggestionsResponseSchema } },
    },
  },
});

function summary(record: JobRecord): z.infer<typeof jobSummarySchema> {
  return {
    job_id: record.job_id,
    question: record.question,
    status: record.status,
    tier: record.tier,
    created_at: record.created_at,
    ...(record.finished_at ? { finished_at: record.finished_at } : {}),
    ...(record.status === 'succeeded' && record.answer ? { answer: record.answer } : {}),
    ...(record.status === 'failed' && record.error ? { error_code: record.error.code } : {}),
    ...(record.follow_up_of ? { follow_up_of: record.follow_up_of } : {}),
    cache_hit: record.cache_hit,
  };
}

/** GET /api/jobs (a shop's history) and GET /api/suggestions. */
export function historyRouter(deps: { results: ResultsStore; shops: ShopRegistry }): Router {
  const router = Router();

  router.get('/api/jobs', async (req, res) => {
    const query = validate(historyQuerySchema, req.query, 'query');
    const shopId = shopIdFor(req, query.shop_id);
    if (!(await deps.shops.get(shopId))) {
      throw new AppError('SHOP_NOT_FOUND', `unknown shop ${shopId}`);
    }
    const ids = await deps.results.recentJobIds(shopId, query.limit);
    // One GET per job (not MGET): job keys hash to different cluster slots.
    const records = await Promise.all(ids.map((id) => deps.results.get(id)));
    const jobs = records
      .filter((r): r is JobRecord => r !== null && r.shop_id === shopId)
      .map(summary);
    res.set('Cache-Control', 'no-store').json({ shop_id: shopId, jobs });
  });

  router.get('/api/suggestions', (_req, res) => {
    res.set('Cache-Control', 'private, max-age=3600').json({ suggestions: suggestQuestions() });
  });

  return router;
}
