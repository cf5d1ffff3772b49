import { defineQueue } from './queue-definition.js';
import { questionJobSchema } from './question-job.js';

/**
 * Tier 1: compiled KPI questions. Many light workers, short locks: a job takes
 * milliseconds, so a stalled one is detected and retried quickly.
 */
export const kpiQueue = defineQueue({
  name: 'kpi',
  schema: questionJobSchema,
  defaultJobOptions: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 200 },
    removeOnComplete: { age: 3600, count: 10_000 },
    removeOnFail: { age: 24 * 3600 },
  },
});
