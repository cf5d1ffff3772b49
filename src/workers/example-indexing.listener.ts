import type { FinishedListener } from '../shared/jobs/question-lifecycle.js';
import { enqueueIngest, type Queues } from '../shared/queues/queues.js';

/**
 * Every question Tier 1 answered becomes a verified example for Tier 2: queue
 * it for indexing (deterministic job id, so a rerun does not index it twice).
 */
export function exampleIndexingListener(queues: Queues): FinishedListener {
  return async (record) => {
    if (record.status !== 'succeeded' || record.tier !== 'kpi' || !record.query || record.cache_hit)
      return;
    await enqueueIngest(
      queues,
      { kind: 'index-answer', shop_id: record.shop_id, job_id: record.job_id, source: 'tier1' },
      `index-answer-${record.job_id}`,
    );
  };
}
