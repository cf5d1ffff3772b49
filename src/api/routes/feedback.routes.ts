import { Router } from 'express';
import { AppError } from '../../shared/errors/app-error.js';
import { enqueueIngest, type Queues } from '../../shared/queues/queues.js';
import type { AnswerCache } from '../../shared/cache/answer-cache.js';
import type { JobRecord } from '../../shared/results/job-record.js';
import type { ResultsStore } from '../../shared/results/results-store.js';
import { registry } from '../docs/openapi-registry.js';
import { validate } from '../middleware/validate.js';
import { errorBodySchema } from '../schemas/ask.schemas.js';
import { z } from '../schemas/openapi-zod.js';
import { loadJob } from './jobs.routes.js';

/** Body of POST /api/jobs/:job_id/feedback. */
export const feedbackRequestSchema = z
  .object({
    correct: z.boolean().openapi({ description: 'Whether the answer was right.' }),
    comment: z
      .string()
      .trim()
      .max(1000)
      .optional()
      .openapi({ description: 'Free text, kept with the job.' }),
  })
  .strict()
  .openapi('FeedbackRequest');

export const feedbackResponseSchema = z
  .object({
    job_id: z.string(),
    feedback: z.object({ correct: z.boolean(), at: z.string(), comment: z.string().optional() }),
    /** True when the confirmed answer was queued to become a verified example. */
    indexed: z.boolean(),
    /**
     * True when an answer marked wrong was taken back: dropped from the answer
     * cache (so asking again computes it anew) and queued to leave the examples.
     */
    withdrawn: z.boolean(),
  })
  .openapi('FeedbackResponse');

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: errorBodySchema } },
});

registry.registerPath({
  method: 'post',
  path: '/api/jobs/{job_id}/feedback',
  summary: 'Say whether an answer was right',
  description:
    'Stores the verdict on the job. A confirmed answer with a query becomes a verified ' +
    'question→pipeline example that later Tier 2 prompts retrieve for this shop. An answer ' +
    'marked wrong leaves the answer cache (asking again computes it anew) and the examples. ' +
    'Sending feedback again replaces the earlier verdict.',
  security: [{ bearer: [] }],
  request: {
    params: z.object({ job_id: z.string() }),
    body: { content: { 'application/json': { schema: feedbackRequestSchema } } },
  },
  responses: {
    200: {
      description: 'Stored',
      content: { 'application/json': { schema: feedbackResponseSchema } },
    },
    400: errorResponse('VALIDATION_FAILED (bad body, or the job has not succeeded)'),
    404: errorResponse('JOB_NOT_FOUND'),
  },
});

/**
 * POST /api/jobs/:job_id/feedback. Shop scoping is `loadJob`'s: another
 * shop's job answers 404 like a missing one.
 */
export function feedbackRouter(deps: {
  results: ResultsStore;
  queues: Queues;
  /** Null when the answer cache is turned off. */
  cache: AnswerCache | null;
}): Router {
  const router = Router();
  router.post('/api/jobs/:job_id/feedback', async (req, res) => {
    const body = validate(feedbackRequestSchema, req.body, 'body', req);
    const record = await loadJob(deps.results, req, req.params.job_id);
    if (record.status !== 'succeeded') {
      throw new AppError(
        'VALIDATION_FAILED',
        `job ${record.job_id} has not succeeded; only answers take feedback`,
      );
    }
    const feedback = {
      correct: body.correct,
      at: new Date().toISOString(),
      ...(body.comment ? { comment: body.comment } : {}),
    };
    const updated = await deps.results.update(record.job_id, (r) => ({ ...r, feedback }));
    if (!updated) throw new AppError('JOB_NOT_FOUND', `no job ${record.job_id}`);
    // One ingest job per verdict (BullMQ ids may not contain ':'); the job
    // checks the record's latest verdict when it runs, so flips settle right.
    const verdictId = `${updated.job_id}-${Date.parse(feedback.at)}`;
    const indexed = body.correct && Boolean(updated.query);
    if (indexed) {
      await enqueueIngest(
        deps.queues,
        {
          kind: 'index-answer',
          shop_id: updated.shop_id,
          job_id: updated.job_id,
          source: 'feedback',
        },
        `feedback-${verdictId}`,
      );
    }
    const withdrawn = !body.correct;
    if (withdrawn) {
      await evictCachedAnswer(deps.cache, updated);
      if (updated.query) {
        await enqueueIngest(
          deps.queues,
          { kind: 'forget-answer', shop_id: updated.shop_id, job_id: updated.job_id },
          `forget-${verdictId}`,
        );
      }
    }
    res.json({ job_id: updated.job_id, feedback, indexed, withdrawn });
  });
  return router;
}

/**
 * The cached answer this job produced or was served from, if it is still the
 * one cached: a job that ran has its fingerprint in `cache_plan`, a cache hit
 * names the job it came from and the fingerprint in `meta.cached_from`.
 */
async function evictCachedAnswer(cache: AnswerCache | null, record: JobRecord): Promise<void> {
  if (!cache) return;
  const from = record.meta?.cached_from as { job_id?: string; fingerprint?: string } | undefined;
  const fingerprint = record.cache_plan?.fingerprint ?? from?.fingerprint;
  const source = from?.job_id ?? record.job_id;
  if (fingerprint) await cache.evict(record.shop_id, fingerprint, source);
}
