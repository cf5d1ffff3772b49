import { defineQueue } from './queue-definition.js';
import { questionJobSchema } from './question-job.js';

/** Tier 2: the LLM writes a pipeline. Few workers, long locks, rate-limited. */
export const llmQueue = defineQueue({
  name: 'llm',
  schema: questionJobSchema,
  defaultJobOptions: {
    attempts: 2,
    backoff: { type: 'exponential', delay: 2_000 },
    removeOnComplete: { age: 3600, count: 10_000 },
    removeOnFail: { age: 24 * 3600 },
  },
});
