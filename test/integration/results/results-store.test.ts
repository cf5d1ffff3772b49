import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEventHub } from '../../../src/shared/events/job-event-hub.js';
import type { JobRecord } from '../../../src/shared/results/job-record.js';
import type { JobEvent } from '../../../src/shared/results/results-store.js';
import { createTestServices, startEventHub } from '../../support/test-services.js';

/**
 * Job records on the suite's real Redis (single node, or the cluster with
 * SI_TEST_REDIS=cluster): what the API and workers rely on when they write a
 * record and announce it.
 */
describe('ResultsStore', () => {
  let core: Awaited<ReturnType<typeof createTestServices>>;
  let hub: JobEventHub;

  beforeAll(async () => {
    core = await createTestServices();
    hub = await startEventHub(core);
  });
  afterAll(async () => {
    await hub?.close();
    await core?.cleanup();
  });

  const queued = (jobId: string): JobRecord => ({
    job_id: jobId,
    shop_id: 11,
    question: 'How many orders last week?',
    status: 'queued',
    tier: 'kpi',
    as_of: '2026-11-20T12:00:00.000Z',
    timezone: 'UTC',
    created_at: new Date().toISOString(),
    attempts: [],
    escalations: [],
    cache_hit: false,
  });

  /** Events of one job until a final one (or 5 s). */
  function eventsOf(jobId: string): Promise<JobEvent[]> {
    const seen: JobEvent[] = [];
    return new Promise((resolve) => {
      const off = hub.on(jobId, (e) => {
        seen.push(e);
        if (e.status === 'succeeded' || e.status === 'failed') {
          off();
          resolve(seen);
        }
      });
      setTimeout(() => {
        off();
        resolve(seen);
      }, 5_000);
    });
  }

  it('creates a record once, lists it in its shop history, refuses the same id again', async () => {
    const record = queued('rs-create');
    expect(await core.results.create(record)).toBe(true);
    expect(await core.results.get('rs-create')).toEqual(record);
    expect(await core.results.recentJobIds(11, 10)).toContain('rs-create');
    expect(await core.results.create({ ...record, question: 'other' })).toBe(false);
    expect((await core.results.get('rs-create'))!.question).toBe(record.question);
  });

  it('announces status changes; a small final record travels with its event, a large one is read back', async () => {
    const small = queued('rs-small');
    const large = queued('rs-large');
    await core.results.create(small);
    await core.results.create(large);
    const [smallEvents, largeEvents] = [eventsOf('rs-small'), eventsOf('rs-large')];

    const running = { ...small, status: 'running' as const };
    await core.results.replace(small, running);
    // No status change, no event.
    await core.results.replace(running, { ...running, meta: { note: 'progress' } });
    const done: JobRecord = { ...running, status: 'succeeded', answer: '12 orders' };
    await core.results.update('rs-small', () => done);

    const rows = Array.from({ length: 400 }, (_, i) => ({ key: `product ${i}`, value: i }));
    const big: JobRecord = {
      ...large,
      status: 'succeeded',
      answer: '400 products',
      data: { kind: 'table', columns: ['key', 'value'], rows } as unknown as JobRecord['data'],
    };
    await core.results.update('rs-large', () => big);

    const s = await smallEvents;
    expect(s.map((e) => e.status)).toEqual(['running', 'succeeded']);
    expect(s[0]!.record).toBeUndefined();
    expect(s[1]!.record).toEqual(done);
    expect(await core.results.get('rs-small')).toEqual(done);

    const l = await largeEvents;
    expect(l.map((e) => e.status)).toEqual(['succeeded']);
    expect(l[0]!.record).toBeUndefined();
    // Whoever hears the event reads the record and finds it written.
    expect(await core.results.get('rs-large')).toEqual(big);
  });
});
