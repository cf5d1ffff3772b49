import type { Tier } from '../queues/question-job.js';
import type { AnswerData, ExecutedQuery } from './answer.js';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** A job in one of these states has its outcome stored: nothing changes it any more. */
export function isFinalStatus(status: JobStatus): boolean {
  return status === 'succeeded' || status === 'failed';
}

/** One try of one tier at a question; the record keeps all of them. */
export interface JobAttempt {
  tier: Tier;
  attempt: number;
  started_at: string;
  finished_at?: string;
  outcome?: 'succeeded' | 'failed' | 'escalated' | 'retrying';
  error?: { code: string; message: string };
  /** Tier 2 keeps each model round here (pipeline, guard verdict, error). */
  steps?: Record<string, unknown>[];
}

export interface JobError {
  /** An ErrorCode; typed as string so records written by older code still read. */
  code: string;
  message: string;
  /** Questions Tier 1 can answer, offered when a question could not be. */
  suggestions?: string[];
}

/**
 * The record of one question, kept in Redis with a TTL. The API creates it when
 * it accepts the question; workers update it; GET /api/jobs/:id reads only this.
 */
export interface JobRecord {
  job_id: string;
  shop_id: number;
  question: string;
  status: JobStatus;
  tier: Tier;
  as_of: string;
  timezone: string;
  created_at: string;
  started_at?: string;
  finished_at?: string;
  request_id?: string;
  follow_up_of?: string;
  priority?: 'interactive' | 'batch';
  webhook_url?: string;
  attempts: JobAttempt[];
  escalations: { from: Tier; to: Tier; reason: string; at: string }[];
  answer?: string;
  data?: AnswerData;
  query?: ExecutedQuery | null;
  explanation?: string;
  /** Tier 1's structured query, reused by follow-ups. */
  structured_query?: unknown;
  meta?: Record<string, unknown>;
  cache_hit: boolean;
  /**
   * Set by the API on questions it queued: the answer cache entry a success
   * fills and the in-flight fingerprint it releases (src/shared/cache).
   */
  cache_plan?: { fingerprint: string; ttl_seconds: number; ttl_class: string };
  timings_ms?: { queued: number; run: number; total: number };
  error?: JobError;
  feedback?: { correct: boolean; at: string; comment?: string };
}

/** What GET /api/jobs/:id shows: the record less internal bookkeeping. */
export function publicView(record: JobRecord): Record<string, unknown> {
  const base: Record<string, unknown> = {
    job_id: record.job_id,
    shop_id: record.shop_id,
    question: record.question,
    status: record.status,
    tier: record.tier,
    as_of: record.as_of,
    timezone: record.timezone,
    created_at: record.created_at,
    cache_hit: record.cache_hit,
  };
  if (record.follow_up_of) base.follow_up_of = record.follow_up_of;
  if (record.status === 'succeeded') {
    base.answer = record.answer;
    base.data = record.data;
    base.query = record.query ?? null;
    base.explanation = record.explanation;
    if (record.meta?.context) base.context = record.meta.context;
  }
  if (record.status === 'failed' && record.error) base.error = record.error;
  if (record.timings_ms) base.timings_ms = record.timings_ms;
  if (record.finished_at) base.finished_at = record.finished_at;
  base.attempts = record.attempts;
  if (record.escalations.length > 0) base.escalations = record.escalations;
  if (record.feedback) base.feedback = record.feedback;
  return base;
}
