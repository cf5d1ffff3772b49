import { z } from 'zod';

/**
 * Payload of a question job on the kpi, llm and rag queues. Small and plain: the
 * question and its parameters, never documents or secrets. Fields added later
 * must be optional so jobs queued before a deploy still validate.
 */
export const questionJobSchema = z.object({
  /** Our job id; also the BullMQ job id on every queue the question visits. */
  job_id: z.string().min(1).max(64),
  shop_id: z.number().int().positive(),
  question: z.string().min(1).max(500),
  /** ISO 8601 instant the question's relative dates resolve against. */
  as_of: z.string(),
  /** IANA time zone of the question. */
  timezone: z.string(),
  request_id: z.string().optional(),
  /** Job id of the question this one follows up on. */
  follow_up_of: z.string().optional(),
  /** Set when a kpi worker handed the question on. */
  escalated_from: z.enum(['kpi']).optional(),
  /** Why the earlier tier handed it on (shown to the LLM as a hint). */
  escalation_reason: z.string().optional(),
  /**
   * Tier 1's parse, done by the API when it routed the question, so the kpi
   * worker does not parse again. Checked again on receipt; a kpi worker
   * without it (or with one that does not validate) parses the question itself.
   */
  structured_query: z.unknown().optional(),
  /**
   * The shop's currency and locale as the API read them when it accepted the
   * question, so a worker formats the answer without reading the shop again.
   */
  currency: z.string().length(3).optional(),
  locale: z.string().min(1).max(35).optional(),
});

export type QuestionJob = z.infer<typeof questionJobSchema>;

export type Tier = 'kpi' | 'llm' | 'rag';
export const TIERS: readonly Tier[] = ['kpi', 'llm', 'rag'];
