import { defineQueue } from './queue-definition.js';
import { questionJobSchema } from './question-job.js';

/** Tier 3: insight questions (analysis + retrieval). Few workers, long locks. */
export const ragQueue = defineQueue({
  name: 'rag',
  schema: questionJobSchema,
  defaultJobOptions: {
    attempts: 2,
    backoff: { type: 'exponential', delay: 2_000 },
    removeOnComplete: { age: 3600, count: 10_000 },
    removeOnFail: { age: 24 * 3600 },
  },
});
