import { Router } from 'express';
import { AppError } from '../../shared/errors/app-error.js';
import { enqueueIngest, type Queues } from '../../shared/queues/queues.js';
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
    'question→pipeline example that later Tier 2 prompts retrieve for this shop. Sending ' +
    'feedback again replaces the earlier verdict.',
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
export function feedbackRouter(deps: { results: ResultsStore; queues: Queues }): Router {
  const router = Router();
  router.post('/api/jobs/:job_id/feedback', async (req, res) => {
    const body = validate(feedbackRequestSchema, req.body);
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
    const indexed = body.correct && Boolean(updated.query);
    if (indexed) {
      // One indexing job per answer however often it is confirmed (BullMQ ids may not contain ':').
      await enqueueIngest(
        deps.queues,
        {
          kind: 'index-answer',
          shop_id: updated.shop_id,
          job_id: updated.job_id,
          source: 'feedback',
        },
        `feedback-${updated.job_id}`,
      );
    }
    res.json({ job_id: updated.job_id, feedback, indexed });
  });
  return router;
}
