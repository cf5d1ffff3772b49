import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors/app-error.js';
import type { JobEventHub } from '../../shared/events/job-event-hub.js';
import { enqueueQuestion, type Queues } from '../../shared/queues/queues.js';
import type { QuestionJob } from '../../shared/queues/question-job.js';
import type { JobRecord } from '../../shared/results/job-record.js';
import type { ResultsStore } from '../../shared/results/results-store.js';
import { routeQuestion } from '../../shared/routing/question-router.js';
import type { ShopRecord } from '../../shared/shops/shop-registry.js';
import type { StructuredQuery } from '../../shared/analytics/index.js';
import type { AskRequest } from '../schemas/ask.schemas.js';

export interface SubmitResult {
  record: JobRecord;
  /** The finished record when the caller asked to wait and it was ready in time. */
  finished: JobRecord | null;
}

export interface QuestionServiceDeps {
  queues: Queues;
  results: ResultsStore;
  events: JobEventHub;
}

/**
 * Accept a question: classify it, record it, queue it. The record is written
 * before the job is queued so a worker (or a poll) always finds it.
 */
export class QuestionService {
  constructor(private readonly deps: QuestionServiceDeps) {}

  async submit(
    shop: ShopRecord,
    body: AskRequest,
    meta: { requestId?: string; now?: Date },
  ): Promise<SubmitResult> {
    const now = meta.now ?? new Date();
    const asOf = body.as_of ? new Date(body.as_of) : now;
    const timezone = body.timezone ?? shop.timezone;
    const previous = await this.previousQuery(shop.shop_id, body.context?.follow_up_of);
    const route = routeQuestion(body.question, { asOf, timezone }, previous);
    const jobId = randomUUID();
    const record: JobRecord = {
      job_id: jobId,
      shop_id: shop.shop_id,
      question: body.question,
      status: 'queued',
      tier: route.tier,
      as_of: asOf.toISOString(),
      timezone,
      created_at: now.toISOString(),
      priority: body.priority ?? 'interactive',
      attempts: [],
      escalations: [],
      cache_hit: false,
      ...(meta.requestId ? { request_id: meta.requestId } : {}),
      ...(body.context?.follow_up_of ? { follow_up_of: body.context.follow_up_of } : {}),
      ...(body.webhook_url ? { webhook_url: body.webhook_url } : {}),
    };
    const payload: QuestionJob = {
      job_id: jobId,
      shop_id: shop.shop_id,
      question: body.question,
      as_of: record.as_of,
      timezone,
      ...(meta.requestId ? { request_id: meta.requestId } : {}),
      ...(record.follow_up_of ? { follow_up_of: record.follow_up_of } : {}),
      ...(route.reason ? { escalation_reason: route.reason } : {}),
    };
    await this.deps.results.create(record);
    // Listen before queueing: a fast job can finish before add() returns.
    const waiting =
      body.wait_ms && body.wait_ms > 0
        ? this.deps.events.waitFor(
            jobId,
            (e) => e.status === 'succeeded' || e.status === 'failed',
            body.wait_ms,
          )
        : null;
    await enqueueQuestion(this.deps.queues, route.tier, payload, record.priority);
    if (!waiting) return { record, finished: null };
    await waiting;
    const latest = await this.deps.results.get(jobId);
    const finished = latest && (latest.status === 'succeeded' || latest.status === 'failed') ? latest : null;
    return { record: latest ?? record, finished };
  }

  /** The structured query of an earlier job of the same shop, for follow-ups. */
  private async previousQuery(shopId: number, jobId: string | undefined): Promise<StructuredQuery | undefined> {
    if (!jobId) return undefined;
    const earlier = await this.deps.results.get(jobId);
    if (!earlier || earlier.shop_id !== shopId) {
      throw new AppError('JOB_NOT_FOUND', `no job ${jobId} to follow up on`);
    }
    return (earlier.structured_query as StructuredQuery | undefined) ?? undefined;
  }
}
