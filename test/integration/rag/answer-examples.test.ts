import { QueueEvents, type Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestJob } from '../../../src/shared/queues/ingest.queue.js';
import { queuePrefix } from '../../../src/shared/queues/queue-definition.js';
import type { Embedder, VectorStore } from '../../../src/shared/rag/index.js';
import { createRedis } from '../../../src/shared/redis/redis-connection.js';
import type { JobRecord } from '../../../src/shared/results/job-record.js';
import { startWorker } from '../../../src/shared/runtime/worker-runtime.js';
import { ingestProcessor } from '../../../src/workers/ingest/ingest.processor.js';
import { createTestServices } from '../../support/test-services.js';
import { startVectorTestbed, type VectorTestbed } from '../../support/vector-testbed.js';

/**
 * Answered questions as Tier 2 examples, through the real ingest queue and
 * worker, Chroma and USE-lite: each job acts on the record's latest verdict,
 * so an answer marked wrong leaves the examples and stays out, whatever order
 * the jobs run in, until someone confirms it again.
 */
describe('ingest: answers in and out of the examples by verdict', () => {
  let core: Awaited<ReturnType<typeof createTestServices>>;
  let testbed: VectorTestbed;
  let embedder: Embedder;
  let vectors: VectorStore;
  let worker: Worker;
  let events: QueueEvents;
  let seq = 0;

  beforeAll(async () => {
    [core, testbed] = await Promise.all([
      createTestServices(),
      startVectorTestbed(`ingest-${process.pid}`),
    ]);
    ({ embedder, vectors } = testbed);
    worker = startWorker({
      queueName: 'ingest',
      prefix: core.config.REDIS_PREFIX,
      connection: core.redis,
      logger: core.logger,
      concurrency: 1,
      lockDuration: 30_000,
      processor: ingestProcessor(core, { embedder, vectors }, core.logger),
    });
    events = new QueueEvents('ingest', {
      connection: createRedis({ url: core.config.REDIS_URL, role: 'worker' }),
      prefix: queuePrefix(core.config.REDIS_PREFIX, 'ingest'),
    });
    await events.waitUntilReady();
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await events?.close();
    await testbed?.stop();
    await core?.cleanup();
  });

  async function run(job: IngestJob): Promise<Record<string, unknown>> {
    const added = await core.queues.ingest.add(job.kind, job, { jobId: `t-${seq++}` });
    return (await added.waitUntilFinished(events, 60_000)) as Record<string, unknown>;
  }

  const record: JobRecord = {
    job_id: 'answered-1',
    shop_id: 4,
    question: 'How many paid orders did we get yesterday?',
    status: 'succeeded',
    tier: 'kpi',
    as_of: '2026-11-20T12:00:00.000Z',
    timezone: 'UTC',
    created_at: '2026-11-20T12:00:00.000Z',
    attempts: [],
    escalations: [],
    cache_hit: false,
    answer: '12 orders',
    query: {
      collection: 'order',
      pipeline: [{ $match: { shop_id: 4, status: 'paid' } }, { $count: 'orders' }],
    },
  };
  const verdict = (correct: boolean) =>
    core.results.update(record.job_id, (r) => ({
      ...r,
      feedback: { correct, at: new Date().toISOString() },
    }));
  const index = () =>
    run({ kind: 'index-answer', shop_id: 4, job_id: record.job_id, source: 'tier1' });
  const forget = () => run({ kind: 'forget-answer', shop_id: 4, job_id: record.job_id });

  it('indexes an answer, takes it back when marked wrong, and keeps it out until confirmed', async () => {
    await core.results.create(record);
    expect(await index()).toHaveProperty('key');
    expect(await vectors.count(4, 'answer')).toBe(1);

    await verdict(false);
    expect(await forget()).toHaveProperty('forgotten');
    expect(await vectors.count(4, 'answer')).toBe(0);
    // A late indexing job (queued when the answer was given) must not bring it back.
    expect(await index()).toEqual({ skipped: 'the answer is marked wrong' });
    expect(await vectors.count(4, 'answer')).toBe(0);

    await verdict(true);
    // A stale forget job (from the earlier verdict) must not remove it again.
    expect(await forget()).toEqual({ skipped: 'the answer is no longer marked wrong' });
    expect(await index()).toHaveProperty('key');
    expect(await vectors.count(4, 'answer')).toBe(1);
  });
});
