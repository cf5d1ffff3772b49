import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from '../../shared/logging/logger.js';
import { parsePayload } from '../../shared/queues/queue-definition.js';
import { ingestQueue } from '../../shared/queues/ingest.queue.js';
import { enqueueIngest } from '../../shared/queues/queues.js';
import { forgetAnswer, indexAnswer, indexShop } from '../../shared/rag/index.js';
import type { CoreServices } from '../../shared/runtime/core-services.js';
import type { RetrievalServices } from '../../shared/runtime/retrieval-services.js';

/**
 * Indexing for retrieval: a shop's catalogue and weekly digests (after an import
 * and nightly), and answered questions as verified examples. Without a vector
 * store there is nowhere to index to: such jobs finish as skipped, by design.
 */
export function ingestProcessor(
  core: Pick<CoreServices, 'store' | 'shops' | 'results' | 'queues'>,
  retrieval: RetrievalServices,
  logger: Logger,
) {
  return async (job: Job): Promise<Record<string, unknown>> => {
    const payload = parsePayload(ingestQueue, job.data);
    const log = logger.child({
      queue: 'ingest',
      jobId: job.id,
      kind: payload.kind,
      attempt: job.attemptsMade + 1,
    });
    if (payload.kind === 'index-all') {
      const shops = await core.shops.list();
      const day = new Date().toISOString().slice(0, 10);
      for (const shopId of shops) {
        await enqueueIngest(
          core.queues,
          { kind: 'index-shop', shop_id: shopId },
          `index-shop-${shopId}-${day}`,
        );
      }
      return { shops: shops.length };
    }
    const { embedder, vectors } = retrieval;
    if (!embedder || !vectors) return { skipped: 'vector store not configured' };
    const deps = { store: core.store, vectors, embedder };
    if (payload.kind === 'index-shop') {
      const [shop, info] = await Promise.all([
        core.shops.get(payload.shop_id),
        core.store.shopInfo(payload.shop_id),
      ]);
      if (!info) throw new UnrecoverableError(`shop ${payload.shop_id} has no data`);
      const result = await indexShop(deps, payload.shop_id, {
        asOf: new Date(),
        timezone: shop?.timezone ?? 'UTC',
        currency: info.currency ?? shop?.currency ?? 'USD',
      });
      log.info({ shopId: payload.shop_id, ...result }, 'shop indexed');
      return result;
    }
    const record = await core.results.get(payload.job_id);
    if (
      !record ||
      record.shop_id !== payload.shop_id ||
      record.status !== 'succeeded' ||
      !record.query
    ) {
      return { skipped: 'no answered question with a pipeline' };
    }
    // Verdicts can change and their jobs can run out of order: each job acts
    // only if the record's latest verdict still asks for it.
    const wrong = record.feedback?.correct === false;
    if (payload.kind === 'forget-answer') {
      if (!wrong) return { skipped: 'the answer is no longer marked wrong' };
      const key = await forgetAnswer(deps, payload.shop_id, {
        question: record.question,
        pipeline: record.query.pipeline,
      });
      log.info({ shopId: payload.shop_id, key }, 'wrong answer taken back from the examples');
      return { forgotten: key };
    }
    if (wrong) return { skipped: 'the answer is marked wrong' };
    const key = await indexAnswer(deps, payload.shop_id, {
      question: record.question,
      answer: record.answer ?? '',
      pipeline: record.query.pipeline,
      collection: record.query.collection,
      source: payload.source,
    });
    return { key };
  };
}
