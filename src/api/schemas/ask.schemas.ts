import { DateTime } from 'luxon';
import { answerDataSchema, executedQuerySchema } from '../../shared/results/answer.js';
import { z } from './openapi-zod.js';

/** Longest question accepted, in characters. */
export const QUESTION_MAX_CHARS = 500;
/** Longest a client may ask POST /api/ask to wait for the answer. */
export const WAIT_MS_MAX = 10_000;

const isoInstant = z
  .string()
  .refine((s) => {
    const d = DateTime.fromISO(s, { setZone: true });
    return d.isValid && d.year >= 1970 && d.year <= 2200;
  }, 'must be an ISO 8601 date or date-time between 1970 and 2200')
  .openapi({ example: '2026-11-23T09:00:00Z' });

/** An IANA zone name; shared by every request that takes one. */
export const timezoneSchema = z
  .string()
  .max(64)
  .refine(
    (tz) => DateTime.local().setZone(tz).isValid,
    'must be an IANA time zone such as Europe/Berlin',
  )
  .openapi({ example: 'Europe/Berlin' });

/** Body of POST /api/ask. */
export const askRequestSchema = z
  .object({
    shop_id: z.number().int().positive().optional().openapi({
      description: 'The shop asked about. Optional with a shop key (the key names the shop).',
    }),
    question: z.string().trim().min(1).max(QUESTION_MAX_CHARS).openapi({
      example: 'How many orders did we get last month?',
      maxLength: QUESTION_MAX_CHARS,
    }),
    as_of: isoInstant.optional().openapi({
      description: 'Reference instant for relative dates ("last month"). Default: now.',
    }),
    timezone: timezoneSchema
      .optional()
      .openapi({ description: "Time zone the question's dates resolve in. Default: the shop's." }),
    webhook_url: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .optional()
      .openapi({
        description: 'Receives question.succeeded / question.failed (Standard Webhooks).',
      }),
    wait_ms: z.number().int().min(0).max(WAIT_MS_MAX).optional().openapi({
      description: 'Wait up to this long for the answer; 200 with it if ready, else 202.',
    }),
    priority: z.enum(['interactive', 'batch']).optional().openapi({
      description: 'Interactive questions run before batch ones. Default: interactive.',
    }),
    context: z
      .object({
        follow_up_of: z
          .string()
          .min(1)
          .max(64)
          .openapi({ description: 'Job id of an earlier question this one follows up on.' }),
      })
      .strict()
      .optional(),
  })
  .strict()
  .openapi('AskRequest');
export type AskRequest = z.infer<typeof askRequestSchema>;

export const tierSchema = z.enum(['kpi', 'llm', 'rag']).openapi({
  description:
    'kpi: compiled analytics (Tier 1); llm: model-written pipeline (Tier 2); rag: insight (Tier 3).',
});

export const askAcceptedSchema = z
  .object({
    job_id: z.string(),
    status: z.literal('queued'),
    tier: tierSchema,
    status_url: z.string(),
  })
  .openapi('AskAccepted');

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'QUESTION_TOO_LONG' }),
      message: z.string(),
      suggestions: z.array(z.string()).optional(),
    }),
  })
  .openapi('Error');

export const jobRecordSchema = z
  .object({
    job_id: z.string(),
    shop_id: z.number().int(),
    question: z.string(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed']),
    tier: tierSchema,
    as_of: z.string(),
    timezone: z.string(),
    created_at: z.string(),
    cache_hit: z.boolean(),
    answer: z.string().optional(),
    data: answerDataSchema.optional(),
    query: executedQuerySchema.nullable().optional(),
    explanation: z.string().optional(),
    error: errorBodySchema.shape.error.optional(),
    timings_ms: z
      .object({ queued: z.number(), run: z.number(), total: z.number() })
      .optional()
      .openapi({
        description: 'queued: wait before a worker took it; run: work; total: submit to result.',
      }),
    attempts: z.array(z.record(z.string(), z.unknown())),
    escalations: z.array(z.record(z.string(), z.unknown())).optional(),
  })
  .openapi('Job');
