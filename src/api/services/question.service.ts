import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors/app-error.js';
import type { JobEventHub } from '../../shared/events/job-event-hub.js';
import {
  requestAlias,
  type AnswerCache,
  type CachedAnswer,
} from '../../shared/cache/answer-cache.js';
import { cachePlan, questionFingerprint } from '../../shared/cache/cache-policy.js';
import { bodyHash, type IdempotencyStore } from '../../shared/cache/idempotency.store.js';
import type { InFlightRegistry } from '../../shared/cache/in-flight.registry.js';
import type { ShopQueueCap } from '../../shared/limits/shop-queue-cap.js';
import { enqueueQuestion, type Queues } from '../../shared/queues/queues.js';
import type { QuestionJob } from '../../shared/queues/question-job.js';
import { isFinalStatus, type JobRecord } from '../../shared/results/job-record.js';
import type { ResultsStore } from '../../shared/results/results-store.js';
import { routeQuestion } from '../../shared/routing/question-router.js';
import type { ShopRecord } from '../../shared/shops/shop-registry.js';
import type { ShopVocabulary, StructuredQuery } from '../../shared/analytics/index.js';
import type { WebhookDispatcher } from '../../shared/webhooks/webhook-dispatcher.js';
import {
  checkWebhookUrl,
  type WebhookUrlPolicy,
} from '../../shared/webhooks/webhook-url.policy.js';
import type { AskRequest } from '../schemas/ask.schemas.js';

export interface SubmitResult {
  record: JobRecord;
  /** The finished record when the caller asked to wait and it was ready in time, or a cache hit. */
  finished: JobRecord | null;
}

/** What decides whether a question is queued at all (cache, sharing, idempotency, caps). */
export interface AdmissionDeps {
  /** Null when the answer cache is turned off. */
  cache: AnswerCache | null;
  inFlight: InFlightRegistry;
  idempotency: IdempotencyStore;
  queueCap: ShopQueueCap;
  /** The deployment's cap on a shop's unfinished questions (a shop's `max_queued` overrides it). */
  defaultMaxQueued: number;
  webhookPolicy: WebhookUrlPolicy;
  webhooks: WebhookDispatcher;
  /** The shop's data version (imports bump it); part of every cache key. */
  dataVersion: (shopId: number) => Promise<number>;
  /** The shop's product, category and customer names for the Tier 1 parser. */
  vocabulary: (shopId: number) => Promise<ShopVocabulary | undefined>;
}

export interface QuestionServiceDeps {
  queues: Queues;
  results: ResultsStore;
  events: JobEventHub;
  admission: AdmissionDeps;
}

/** How long a replayed Idempotency-Key waits for the first request to create its job. */
const IN_PROGRESS_GRACE_MS = 2_000;

/**
 * Accept a question. In order: check the webhook URL; honour an
 * Idempotency-Key (same key and body: the first job; other body: 409); answer
 * from the cache without a job; join an identical question already in flight;
 * enforce the shop's cap on unfinished questions; then record and queue it.
 * The record is written before the job is queued so a worker (or a poll)
 * always finds it.
 */
export class QuestionService {
  constructor(private readonly deps: QuestionServiceDeps) {}

  async submit(
    shop: ShopRecord,
    body: AskRequest,
    meta: {
      requestId?: string;
      now?: Date;
      idempotencyKey?: string;
      /**
       * The rate limiter's verdict, still on its way (see rate-limit.ts): the
       * question is parsed meanwhile; nothing is written before it passes.
       */
      quota?: Promise<void>;
    },
  ): Promise<SubmitResult> {
    const started = performance.now();
    const a = this.deps.admission;
    const now = meta.now ?? new Date();
    const asOf = body.as_of ? new Date(body.as_of) : now;
    const timezone = body.timezone ?? shop.timezone;
    const dataVersion = await a.dataVersion(shop.shop_id);
    // An unknown data version (store unreachable from the API) must not read
    // or pair cached answers: they could predate the shop's current data.
    const cache = dataVersion >= 0 ? a.cache : null;
    const followUp = body.context?.follow_up_of ? { followUpOf: body.context.follow_up_of } : {};
    const alias = requestAlias({
      question: body.question,
      timezone,
      dataVersion,
      asOf,
      ...followUp,
    });
    if (cache && body.webhook_url === undefined && !meta.idempotencyKey) {
      // Fast path: a repeat of a recent request answers without parsing again.
      const known = await cache.fingerprintFor(shop.shop_id, alias);
      const cached = known ? await cache.get(shop.shop_id, known) : null;
      await meta.quota;
      if (known && cached)
        return this.answerFromCache(randomUUID(), shop, body, cached, {
          now,
          asOf,
          timezone,
          started,
          requestId: meta.requestId,
          fingerprint: known,
        });
    }
    const previous = await this.previousQuery(shop.shop_id, body.context?.follow_up_of);
    const vocabulary = await a.vocabulary(shop.shop_id);
    const route = routeQuestion(
      body.question,
      {
        asOf,
        timezone,
        shopId: shop.shop_id,
        locale: shop.locale,
        ...(vocabulary ? { vocabulary } : {}),
      },
      previous,
    );
    if (body.webhook_url) await checkWebhookUrl(body.webhook_url, a.webhookPolicy);
    await meta.quota;
    const jobId = randomUUID();

    const idem = meta.idempotencyKey
      ? { key: meta.idempotencyKey, hash: bodyHash({ ...body, shop_id: shop.shop_id }) }
      : null;
    if (idem) {
      const outcome = await a.idempotency.reserve(shop.shop_id, idem.key, idem.hash, jobId);
      if (outcome.kind === 'existing') {
        if (!outcome.sameBody) {
          throw new AppError(
            'IDEMPOTENCY_KEY_REUSED',
            'this Idempotency-Key was used with a different request body',
          );
        }
        return this.existingJob(outcome.jobId, body.wait_ms, {
          inProgressGraceMs: IN_PROGRESS_GRACE_MS,
        });
      }
    }
    try {
      const plan = cachePlan(route.tier, route.query, asOf, timezone);
      const fingerprint = questionFingerprint({
        shopId: shop.shop_id,
        question: body.question,
        bucket: plan.bucket,
        timezone,
        dataVersion,
        ...followUp,
      });
      const [, cached] = cache
        ? await Promise.all([
            cache.rememberAlias(shop.shop_id, alias, fingerprint),
            cache.get(shop.shop_id, fingerprint),
          ])
        : [undefined, null];
      if (cached) {
        return await this.answerFromCache(jobId, shop, body, cached, {
          now,
          asOf,
          timezone,
          started,
          requestId: meta.requestId,
          fingerprint,
        });
      }

      // The in-flight claim and the queue slot in one round trip; when the
      // question joins a job already in flight, its slot is handed back.
      const cap = shop.max_queued ?? a.defaultMaxQueued;
      const [holder, admitted] = await Promise.all([
        a.inFlight.claim(shop.shop_id, fingerprint, jobId),
        a.queueCap.admit(shop.shop_id, jobId, cap, (ids) => this.finishedAmong(ids)),
      ]);
      if (holder) {
        const shared = await this.joinInFlight(holder, shop.shop_id, body);
        if (shared) {
          if (admitted) await a.queueCap.release(shop.shop_id, jobId);
          if (idem) await a.idempotency.point(shop.shop_id, idem.key, idem.hash, holder);
          return this.existingJob(holder, body.wait_ms);
        }
        await a.inFlight.replace(shop.shop_id, fingerprint, jobId);
      }

      if (!admitted) {
        await a.inFlight.release(shop.shop_id, fingerprint, jobId);
        throw new AppError(
          'QUEUE_FULL',
          `shop ${shop.shop_id} already has ${cap} unanswered questions; retry later`,
        );
      }
      return await this.queue(
        jobId,
        shop,
        body,
        route,
        { now, asOf, timezone, requestId: meta.requestId },
        {
          fingerprint,
          ttl_seconds: plan.ttl_seconds,
          ttl_class: plan.ttl_class,
        },
      );
    } catch (err) {
      // Nothing was accepted under this key: let a retry of the same request through.
      if (idem) await a.idempotency.release(shop.shop_id, idem.key).catch(() => undefined);
      throw err;
    }
  }

  private async answerFromCache(
    jobId: string,
    shop: ShopRecord,
    body: AskRequest,
    cached: CachedAnswer,
    ctx: Parameters<typeof cacheHitRecord>[4],
  ): Promise<SubmitResult> {
    const record = cacheHitRecord(jobId, shop, body, cached, ctx);
    await this.deps.results.create(record);
    await this.deps.admission.webhooks.dispatch(record);
    return { record, finished: record };
  }

  private async queue(
    jobId: string,
    shop: ShopRecord,
    body: AskRequest,
    route: ReturnType<typeof routeQuestion>,
    ctx: { now: Date; asOf: Date; timezone: string; requestId: string | undefined },
    cachePlanOfJob: NonNullable<JobRecord['cache_plan']>,
  ): Promise<SubmitResult> {
    const record: JobRecord = {
      job_id: jobId,
      shop_id: shop.shop_id,
      question: body.question,
      status: 'queued',
      tier: route.tier,
      as_of: ctx.asOf.toISOString(),
      timezone: ctx.timezone,
      created_at: ctx.now.toISOString(),
      priority: body.priority ?? 'interactive',
      attempts: [],
      escalations: [],
      cache_hit: false,
      cache_plan: cachePlanOfJob,
      ...(ctx.requestId ? { request_id: ctx.requestId } : {}),
      ...(body.context?.follow_up_of ? { follow_up_of: body.context.follow_up_of } : {}),
      ...(body.webhook_url ? { webhook_url: body.webhook_url } : {}),
    };
    const payload: QuestionJob = {
      job_id: jobId,
      shop_id: shop.shop_id,
      question: body.question,
      as_of: record.as_of,
      timezone: ctx.timezone,
      ...(ctx.requestId ? { request_id: ctx.requestId } : {}),
      ...(record.follow_up_of ? { follow_up_of: record.follow_up_of } : {}),
      ...(route.reason ? { escalation_reason: route.reason } : {}),
      ...(route.tier === 'kpi' && route.query ? { structured_query: route.query } : {}),
      currency: shop.currency,
      locale: shop.locale,
    };
    // Listen before queueing: a fast job can finish before add() returns.
    const waiting =
      body.wait_ms && body.wait_ms > 0
        ? this.deps.events.waitFor(jobId, (e) => isFinalStatus(e.status), body.wait_ms)
        : null;
    // A worker must find the record when it takes the job. The queues share the
    // results store's client, so on one Redis the add can follow the record
    // write in the same round trip; on a cluster it waits for the write.
    const created = this.deps.results.create(record);
    if (!this.deps.results.ordered) await created;
    const added = enqueueQuestion(this.deps.queues, route.tier, payload, record.priority);
    await Promise.all([created, added]);
    if (!waiting) return { record, finished: null };
    const event = await waiting;
    const latest = event?.record ?? (await this.deps.results.get(jobId));
    const finished = latest && isFinalStatus(latest.status) ? latest : null;
    return { record: latest ?? record, finished };
  }

  /**
   * Join a question in flight: the new caller's webhook URL is added to the
   * job's. If the job finished in the meantime its deliveries are dispatched
   * again (delivery ids are deterministic, so only the new URL is new).
   * False when the holder is finished or gone and the caller must queue anew.
   */
  private async joinInFlight(holder: string, shopId: number, body: AskRequest): Promise<boolean> {
    const record = await this.deps.results.get(holder);
    if (!record || record.shop_id !== shopId || isFinalStatus(record.status)) return false;
    if (body.webhook_url) {
      await this.deps.admission.webhooks.addQuestionUrl(holder, body.webhook_url);
      const latest = await this.deps.results.get(holder);
      if (latest && isFinalStatus(latest.status))
        await this.deps.admission.webhooks.dispatch(latest);
    }
    return true;
  }

  /**
   * Answer with a job that already exists (idempotent replay, shared in-flight
   * job). A replay can arrive while the first request is still creating its
   * job: it waits a moment for the record, then answers 409 IN_USE.
   */
  private async existingJob(
    jobId: string,
    waitMs: number | undefined,
    opts: { inProgressGraceMs?: number } = {},
  ): Promise<SubmitResult> {
    const waiting =
      waitMs && waitMs > 0
        ? this.deps.events.waitFor(jobId, (e) => isFinalStatus(e.status), waitMs)
        : null;
    let record = await this.deps.results.get(jobId);
    const deadline = Date.now() + (opts.inProgressGraceMs ?? 0);
    while (!record && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      record = await this.deps.results.get(jobId);
    }
    if (!record) {
      throw opts.inProgressGraceMs
        ? new AppError(
            'IDEMPOTENCY_KEY_IN_USE',
            'a request with this Idempotency-Key is still being processed; retry',
          )
        : new AppError('JOB_NOT_FOUND', `job ${jobId} has expired`);
    }
    if (isFinalStatus(record.status) || !waiting)
      return { record, finished: isFinalStatus(record.status) ? record : null };
    const event = await waiting;
    const latest = event?.record ?? (await this.deps.results.get(jobId)) ?? record;
    return { record: latest, finished: isFinalStatus(latest.status) ? latest : null };
  }

  /** Job ids whose record is final or gone: they no longer count against the queue cap. */
  private async finishedAmong(jobIds: string[]): Promise<string[]> {
    const records = await Promise.all(jobIds.map((id) => this.deps.results.get(id)));
    return jobIds.filter((_, i) => {
      const r = records[i];
      return !r || isFinalStatus(r.status);
    });
  }

  /** The structured query of an earlier job of the same shop, for follow-ups. */
  private async previousQuery(
    shopId: number,
    jobId: string | undefined,
  ): Promise<StructuredQuery | undefined> {
    if (!jobId) return undefined;
    const earlier = await this.deps.results.get(jobId);
    if (!earlier || earlier.shop_id !== shopId) {
      throw new AppError('JOB_NOT_FOUND', `no job ${jobId} to follow up on`);
    }
    return (earlier.structured_query as StructuredQuery | undefined) ?? undefined;
  }
}

/** A succeeded record answered from the cache: a real job id (GET works), no queue, no worker. */
function cacheHitRecord(
  jobId: string,
  shop: ShopRecord,
  body: AskRequest,
  cached: CachedAnswer,
  ctx: {
    now: Date;
    asOf: Date;
    timezone: string;
    started: number;
    requestId: string | undefined;
    fingerprint: string;
  },
): JobRecord {
  const at = ctx.now.toISOString();
  return {
    job_id: jobId,
    shop_id: shop.shop_id,
    question: body.question,
    status: 'succeeded',
    tier: cached.tier,
    as_of: ctx.asOf.toISOString(),
    timezone: ctx.timezone,
    created_at: at,
    started_at: at,
    finished_at: at,
    priority: body.priority ?? 'interactive',
    attempts: [],
    escalations: [],
    answer: cached.answer,
    data: cached.data,
    query: cached.query,
    explanation: cached.explanation,
    ...(cached.structured_query !== undefined ? { structured_query: cached.structured_query } : {}),
    meta: {
      ...(cached.meta ?? {}),
      cached_from: {
        job_id: cached.job_id,
        as_of: cached.as_of,
        cached_at: cached.cached_at,
        fingerprint: ctx.fingerprint,
      },
    },
    cache_hit: true,
    timings_ms: { queued: 0, run: 0, total: Math.round(performance.now() - ctx.started) },
    ...(ctx.requestId ? { request_id: ctx.requestId } : {}),
    ...(body.context?.follow_up_of ? { follow_up_of: body.context.follow_up_of } : {}),
    ...(body.webhook_url ? { webhook_url: body.webhook_url } : {}),
  };
}
