import { UnrecoverableError, type Job } from 'bullmq';
import { AppError } from '../errors/app-error.js';
import type { Logger } from '../logging/logger.js';
import { parsePayload } from '../queues/queue-definition.js';
import { enqueueQuestion, QUESTION_QUEUES, type Queues } from '../queues/queues.js';
import type { QuestionJob, Tier } from '../queues/question-job.js';
import type { TierAnswer } from '../results/answer.js';
import {
  isFinalStatus,
  type JobAttempt,
  type JobError,
  type JobRecord,
} from '../results/job-record.js';
import type { ResultsStore } from '../results/results-store.js';
import type { SharedCounters } from '../metrics/shared-counters.js';

/** What a tier's handler returns: an answer, or a hand-over to another tier. */
export type TierOutcome =
  | { kind: 'answer'; answer: TierAnswer; structuredQuery?: unknown }
  | { kind: 'escalate'; to: Tier; reason: string };

export type TierHandler = (
  job: QuestionJob,
  ctx: { record: JobRecord; log: Logger; attempt: number },
) => Promise<TierOutcome>;

/** Called once a job reaches a final state (webhooks, indexing, metrics). */
export type FinishedListener = (record: JobRecord) => Promise<void>;

export interface LifecycleDeps {
  results: ResultsStore;
  queues: Queues;
  logger: Logger;
  onFinished?: FinishedListener[];
  counters?: SharedCounters;
}

/**
 * Wrap a tier's handler into a BullMQ processor that keeps the job record
 * honest: running/attempts on start; the answer and timings on success; the
 * error on a permanent failure or on the last attempt. Transient errors are
 * rethrown so BullMQ's attempts and backoff apply; permanent ones become
 * UnrecoverableError. Nothing is ever caught into "completed".
 */
export function questionProcessor(tier: Tier, handler: TierHandler, deps: LifecycleDeps) {
  const def = QUESTION_QUEUES[tier];
  return async (job: Job): Promise<void> => {
    const payload = parsePayload(def, job.data);
    const attempt = job.attemptsMade + 1;
    const existing = await deps.results.get(payload.job_id);
    if (existing && isFinalStatus(existing.status)) {
      // A worker died after storing the outcome but before BullMQ marked the job
      // done; the stalled-job rerun must not answer (or notify) a second time.
      return;
    }
    const log = deps.logger.child({
      queue: tier,
      jobId: payload.job_id,
      shopId: payload.shop_id,
      attempt,
      requestId: payload.request_id,
    });
    if (!existing) {
      // The record expired or was never written: nobody can read an answer.
      throw new UnrecoverableError(`no job record for ${payload.job_id}`);
    }
    const startedAt = new Date().toISOString();
    const record: JobRecord = {
      ...existing,
      status: 'running',
      tier,
      started_at: existing.started_at ?? startedAt,
      attempts: [...existing.attempts, { tier, attempt, started_at: startedAt }],
    };
    // The handler starts while "running" is being written; every later write
    // reads the record first, on the same connection, so it sees this one.
    const running = deps.results.replace(existing, record);
    let outcome: TierOutcome;
    try {
      const [answered, written] = await Promise.allSettled([
        handler(payload, { record, log, attempt }),
        running,
      ]);
      if (answered.status === 'rejected') throw answered.reason;
      if (written.status === 'rejected') throw written.reason;
      outcome = answered.value;
    } catch (err) {
      await handleFailure(err, job, payload, tier, attempt, deps, log);
      throw err instanceof AppError && !err.retryable ? new UnrecoverableError(err.message) : err;
    }
    if (outcome.kind === 'escalate') {
      await escalate(payload, tier, outcome, deps, log);
      return;
    }
    const finishedAt = new Date();
    const done = await deps.results.update(payload.job_id, (r) => ({
      ...r,
      status: 'succeeded',
      tier,
      finished_at: finishedAt.toISOString(),
      answer: outcome.answer.answer,
      data: outcome.answer.data,
      query: outcome.answer.query,
      explanation: outcome.answer.explanation,
      ...(outcome.structuredQuery !== undefined
        ? { structured_query: outcome.structuredQuery }
        : {}),
      ...(outcome.answer.meta ? { meta: outcome.answer.meta } : {}),
      attempts: closeAttempt(r.attempts, { outcome: 'succeeded' }),
      timings_ms: timings(r, finishedAt),
    }));
    log.info({ tier, timings: done?.timings_ms }, 'question answered');
    if (done) await notify(done, deps, log);
  };
}

async function escalate(
  payload: QuestionJob,
  from: Tier,
  outcome: Extract<TierOutcome, { kind: 'escalate' }>,
  deps: LifecycleDeps,
  log: Logger,
): Promise<void> {
  const at = new Date().toISOString();
  const record = await deps.results.update(payload.job_id, (r) => ({
    ...r,
    status: 'queued',
    tier: outcome.to,
    attempts: closeAttempt(r.attempts, { outcome: 'escalated' }),
    escalations: [...r.escalations, { from, to: outcome.to, reason: outcome.reason, at }],
  }));
  await enqueueQuestion(
    deps.queues,
    outcome.to,
    { ...payload, escalated_from: 'kpi', escalation_reason: outcome.reason },
    record?.priority ?? 'interactive',
  );
  log.info({ to: outcome.to, reason: outcome.reason }, 'question escalated');
}

async function handleFailure(
  err: unknown,
  job: Job,
  payload: QuestionJob,
  tier: Tier,
  attempt: number,
  deps: LifecycleDeps,
  log: Logger,
): Promise<void> {
  const appError = err instanceof AppError ? err : null;
  const permanent = (appError && !appError.retryable) || err instanceof UnrecoverableError;
  const lastAttempt = attempt >= (job.opts.attempts ?? 1);
  const error: JobError = appError
    ? {
        code: appError.code,
        message: appError.message,
        ...(appError.details?.suggestions
          ? { suggestions: appError.details.suggestions as string[] }
          : {}),
      }
    : { code: 'INTERNAL', message: 'the question could not be answered' };
  const attemptError = { code: error.code, message: error.message };
  if (!permanent && !lastAttempt) {
    log.warn({ err }, 'attempt failed, will retry');
    await deps.results.update(payload.job_id, (r) => ({
      ...r,
      attempts: closeAttempt(r.attempts, { outcome: 'retrying', error: attemptError }),
    }));
    return;
  }
  log.warn({ err, code: error.code }, 'question failed');
  const finishedAt = new Date();
  const record = await deps.results.update(payload.job_id, (r) => ({
    ...r,
    status: 'failed',
    tier,
    finished_at: finishedAt.toISOString(),
    error,
    attempts: closeAttempt(r.attempts, { outcome: 'failed', error: attemptError }),
    timings_ms: timings(r, finishedAt),
  }));
  if (record) await notify(record, deps, log);
}

function closeAttempt(attempts: JobAttempt[], patch: Partial<JobAttempt>): JobAttempt[] {
  const last = attempts.at(-1);
  if (!last) return attempts;
  return [...attempts.slice(0, -1), { ...last, finished_at: new Date().toISOString(), ...patch }];
}

function timings(r: JobRecord, finishedAt: Date): JobRecord['timings_ms'] {
  const created = Date.parse(r.created_at);
  const started = Date.parse(r.started_at ?? r.created_at);
  const end = finishedAt.getTime();
  return {
    queued: Math.max(0, started - created),
    run: Math.max(0, end - started),
    total: Math.max(0, end - created),
  };
}

/** The counter and every listener, side by side: they are independent of each other. */
async function notify(record: JobRecord, deps: LifecycleDeps, log: Logger): Promise<void> {
  await Promise.all([
    deps.counters
      ?.increment('job_outcomes_total', { tier: record.tier, status: record.status })
      .catch((err: unknown) => log.warn({ err }, 'job outcome counter not updated')),
    ...(deps.onFinished ?? []).map((listener) =>
      listener(record).catch((err: unknown) => {
        // The answer is already stored; a failed side effect must not fail the job.
        log.error({ err }, 'finished listener failed');
      }),
    ),
  ]);
}
