import { UnrecoverableError, type Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/shared/errors/app-error.js';
import type { JobEventHub } from '../../../src/shared/events/job-event-hub.js';
import {
  questionProcessor,
  type TierHandler,
  type TierOutcome,
} from '../../../src/shared/jobs/question-lifecycle.js';
import type { Tier } from '../../../src/shared/queues/question-job.js';
import type { JobRecord } from '../../../src/shared/results/job-record.js';
import type { JobEvent } from '../../../src/shared/results/results-store.js';
import { createTestServices, startEventHub } from '../../support/test-services.js';

/**
 * The lifecycle around a tier's handler, on the suite's real Redis: what a
 * poller, an SSE client and a stalled-job rerun see in the job's record.
 */
describe('questionProcessor', () => {
  let core: Awaited<ReturnType<typeof createTestServices>>;
  let hub: JobEventHub;
  let n = 0;

  beforeAll(async () => {
    core = await createTestServices();
    hub = await startEventHub(core);
  });
  afterAll(async () => {
    await hub?.close();
    await core?.cleanup();
  });

  const answer: Extract<TierOutcome, { kind: 'answer' }> = {
    kind: 'answer',
    answer: {
      answer: 'Revenue in October 2026: €1.00.',
      data: { kind: 'scalar', value: 1, unit: 'EUR' },
      query: { collection: 'order', pipeline: [] },
      explanation: 'test',
    },
  };

  function record(status: JobRecord['status']): JobRecord {
    const id = `lifecycle-${process.pid}-${n++}`;
    return {
      job_id: id,
      shop_id: 21,
      question: 'What was our revenue last month?',
      status,
      tier: 'kpi',
      as_of: '2026-11-01T00:00:00.000Z',
      timezone: 'UTC',
      created_at: new Date().toISOString(),
      attempts: [],
      escalations: [],
      cache_hit: false,
    };
  }

  /** A BullMQ job as the worker hands it over (first attempt, one allowed). */
  function jobFor(r: JobRecord): Job {
    const data = {
      job_id: r.job_id,
      shop_id: r.shop_id,
      question: r.question,
      as_of: r.as_of,
      timezone: r.timezone,
    };
    return { data, attemptsMade: 0, opts: { attempts: 1 } } as unknown as Job;
  }

  function processor(tier: Tier, handler: TierHandler, finished: JobRecord[] = []) {
    return questionProcessor(tier, handler, {
      results: core.results,
      queues: core.queues,
      logger: core.logger,
      onFinished: [
        (r) => {
          finished.push(r);
          return Promise.resolve();
        },
      ],
    });
  }

  function eventsOf(jobId: string): { seen: JobEvent[]; off: () => void } {
    const seen: JobEvent[] = [];
    return { seen, off: hub.on(jobId, (e) => seen.push(e)) };
  }

  it('announces running, then the answer, and keeps what the handler recorded meanwhile', async () => {
    const r = record('queued');
    await core.results.create(r);
    const events = eventsOf(r.job_id);
    const finished: JobRecord[] = [];
    await processor(
      'llm',
      async (_job, { update }) => {
        await update((x) => ({ ...x, attempts: [{ ...x.attempts[0]!, steps: [{ round: 1 }] }] }));
        return answer;
      },
      finished,
    )(jobFor(r));

    const stored = await core.results.get(r.job_id);
    expect(stored).toMatchObject({
      status: 'succeeded',
      tier: 'llm',
      answer: answer.answer.answer,
    });
    expect(stored!.attempts).toEqual([
      expect.objectContaining({
        tier: 'llm',
        attempt: 1,
        outcome: 'succeeded',
        steps: [{ round: 1 }],
      }),
    ]);
    expect(stored!.timings_ms).toBeDefined();
    expect(finished).toEqual([stored]);
    await expect.poll(() => events.seen.map((e) => e.status)).toEqual(['running', 'succeeded']);
    expect(events.seen[1]!.record).toEqual(stored);
    events.off();
  });

  it('Tier 1: announces running only while it is still at work', async () => {
    const slow = record('queued');
    const quick = record('queued');
    await Promise.all([core.results.create(slow), core.results.create(quick)]);
    const slowEvents = eventsOf(slow.job_id);
    const quickEvents = eventsOf(quick.job_id);
    await processor('kpi', async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return answer;
    })(jobFor(slow));
    // Answered before its record was read: "running" would be stale at once.
    await processor('kpi', () => Promise.resolve(answer))(jobFor(quick));

    await expect.poll(() => slowEvents.seen.map((e) => e.status)).toEqual(['running', 'succeeded']);
    await expect.poll(() => quickEvents.seen.map((e) => e.status)).toEqual(['succeeded']);
    for (const r of [slow, quick]) {
      const stored = await core.results.get(r.job_id);
      expect(stored).toMatchObject({ status: 'succeeded', started_at: expect.any(String) });
      expect(stored!.attempts).toEqual([
        expect.objectContaining({ tier: 'kpi', attempt: 1, outcome: 'succeeded' }),
      ]);
    }
    slowEvents.off();
    quickEvents.off();
  });

  it('does not answer again when a stalled rerun finds the record final', async () => {
    for (const tier of ['kpi', 'llm'] as const) {
      const r = { ...record('succeeded'), answer: 'the first answer' };
      await core.results.create(r);
      let calls = 0;
      const finished: JobRecord[] = [];
      await processor(
        tier,
        () => {
          calls++;
          return Promise.resolve(answer);
        },
        finished,
      )(jobFor(r));
      expect(await core.results.get(r.job_id)).toEqual(r);
      expect(finished).toEqual([]);
      // Tier 1 starts while the record is read; the model tiers check first.
      expect(calls).toBe(tier === 'kpi' ? 1 : 0);
    }
  });

  it('fails the job for good when its record is gone, even if Tier 1 already answered', async () => {
    const r = record('queued');
    const run = processor('kpi', () => Promise.resolve(answer))(jobFor(r));
    await expect(run).rejects.toBeInstanceOf(UnrecoverableError);
    expect(await core.results.get(r.job_id)).toBeNull();
  });

  it('records a permanent failure with its code, after "running"', async () => {
    const r = record('queued');
    await core.results.create(r);
    const events = eventsOf(r.job_id);
    const run = processor('rag', () =>
      Promise.reject(new AppError('QUERY_FAILED', 'the store refused the pipeline')),
    )(jobFor(r));
    await expect(run).rejects.toBeInstanceOf(UnrecoverableError);
    const stored = await core.results.get(r.job_id);
    expect(stored).toMatchObject({
      status: 'failed',
      error: { code: 'QUERY_FAILED', message: 'the store refused the pipeline' },
    });
    expect(stored!.attempts).toEqual([expect.objectContaining({ outcome: 'failed' })]);
    await expect.poll(() => events.seen.map((e) => e.status)).toEqual(['running', 'failed']);
    events.off();
  });
});
