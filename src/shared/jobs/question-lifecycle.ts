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
  ctx: {
    log: Logger;
    attempt: number;
    /** Record a change to the job's record while it runs (e.g. the llm tier's rounds). */
    update: (change: (record: JobRecord) => JobRecord) => Promise<void>;
  },
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
 * Tiers whose handler starts while the job's record is being read. Tier 1
 * only reads the shop's data and answers in milliseconds, so it need not wait
 * a round trip; when the record turns out final (a stalled rerun) or gone, its
 * answer is dropped. The model tiers check the record first: a wasted model
 * call costs far more than the round trip.
 */
const STARTS_WITH_RECORD_READ: ReadonlySet<Tier> = new Set<Tier>(['kpi']);

/**
 * The job's record as its owner last wrote it. While a job runs, only the
 * worker holding it writes its record (feedback waits for a final answer,
 * extra webhook URLs live in a set of their own), so each write builds on this
 * copy instead of reading the record back. Writes leave in order: on one
 * Redis a connection keeps it; on a cluster each write waits for the one
 * before, so events cannot overtake each other.
 */
class OwnedRecord {
  private last: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly results: ResultsStore,
    private current: JobRecord,
  ) {}

  /** Apply a change without writing it: the next write carries it. */
  keep(change: (record: JobRecord) => JobRecord): void {
    this.current = change(this.current);
  }

  write(change: (record: JobRecord) => JobRecord): Promise<JobRecord> {
    const before = this.current;
    const next = change(before);
    this.current = next;
    const written = this.results.ordered
      ? this.results.replace(before, next)
      : this.last.then(() => this.results.replace(before, next));
    this.last = written.catch(() => undefined);
    return written.then(() => next);
  }
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
    const log = deps.logger.child({
      queue: tier,
      jobId: payload.job_id,
      shopId: payload.shop_id,
      attempt,
      requestId: payload.request_id,
    });
    const reading = deps.results.get(payload.job_id);
    // Settles once "running" is written (or the record is found unusable);
    // the handler's own record changes wait for it.
    let owned!: (record: OwnedRecord | null) => void;
    const ownedReady = new Promise<OwnedRecord | null>((resolve) => (owned = resolve));
    const update = async (change: (record: JobRecord) => JobRecord) => {
      const record = await ownedReady;
      if (!record) throw new UnrecoverableError(`job ${payload.job_id} is no longer running`);
      await record.write(change);
    };
    const run = () => handler(payload, { log, attempt, update });
    const early = STARTS_WITH_RECORD_READ.has(tier) ? tracked(run()) : null;

    let existing: JobRecord | null;
    try {
      existing = await reading;
    } catch (err) {
      owned(null);
      await early?.result;
      throw err;
    }
    if (!existing || isFinalStatus(existing.status)) {
      owned(null);
      await early?.result;
      // Final: a worker died after storing the outcome but before BullMQ marked
      // the job done; the stalled-job rerun must not answer (or notify) again.
      if (existing) return;
      // Gone: the record expired or was never written, nobody can read an answer.
      throw new UnrecoverableError(`no job record for ${payload.job_id}`);
    }
    const startedAt = new Date().toISOString();
    const record = new OwnedRecord(deps.results, existing);
    const open = (r: JobRecord): JobRecord => ({
      ...r,
      status: 'running',
      tier,
      started_at: r.started_at ?? startedAt,
      attempts: [...r.attempts, { tier, attempt, started_at: startedAt }],
    });
    // When Tier 1 answered while the record was read, "running" would be out of
    // date before anyone read it: the outcome is written over "queued" at once.
    if (early?.done) record.keep(open);
    else
      void record.write(open).catch((err: unknown) => {
        // The outcome's write follows and carries everything this one did.
        log.warn({ err }, 'running status not written');
      });
    owned(record);
    let outcome: TierOutcome;
    try {
      const answered = await (early?.result ?? settle(run()));
      if (!answered.ok) throw answered.error;
      outcome = answered.value;
    } catch (err) {
      await handleFailure(err, job, record, tier, attempt, deps, log);
      throw err instanceof AppError && !err.retryable ? new UnrecoverableError(err.message) : err;
    }
    if (outcome.kind === 'escalate') {
      await escalate(payload, tier, outcome, record, deps, log);
      return;
    }
    const finishedAt = new Date();
    const done = await record.write((r) => ({
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
    log.info({ tier, timings: done.timings_ms }, 'question answered');
    await notify(done, deps, log);
  };
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** A promise that never rejects: for work started before anyone awaits it. */
function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

/** Work started early, and whether it has finished yet. */
function tracked<T>(promise: Promise<T>): { result: Promise<Settled<T>>; done: boolean } {
  const work = { result: settle(promise), done: false };
  void work.result.then(() => (work.done = true));
  return work;
}

async function escalate(
  payload: QuestionJob,
  from: Tier,
  outcome: Extract<TierOutcome, { kind: 'escalate' }>,
  owned: OwnedRecord,
  deps: LifecycleDeps,
  log: Logger,
): Promise<void> {
  const at = new Date().toISOString();
  const record = await owned.write((r) => ({
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
    record.priority,
  );
  log.info({ to: outcome.to, reason: outcome.reason }, 'question escalated');
}

async function handleFailure(
  err: unknown,
  job: Job,
  owned: OwnedRecord,
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
    await owned.write((r) => ({
      ...r,
      attempts: closeAttempt(r.attempts, { outcome: 'retrying', error: attemptError }),
    }));
    return;
  }
  log.warn({ err, code: error.code }, 'question failed');
  const finishedAt = new Date();
  const record = await owned.write((r) => ({
    ...r,
    status: 'failed',
    tier,
    finished_at: finishedAt.toISOString(),
    error,
    attempts: closeAttempt(r.attempts, { outcome: 'failed', error: attemptError }),
    timings_ms: timings(r, finishedAt),
  }));
  await notify(record, deps, log);
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
