import { z } from 'zod';
import { defineQueue } from './queue-definition.js';

/** Indexing work for Tier 2/3 retrieval: after imports, on a schedule, per answer. */
export const ingestJobSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('index-shop'), shop_id: z.number().int().positive() }),
  /** The nightly schedule: fans out one index-shop job per shop. */
  z.object({ kind: z.literal('index-all') }),
  z.object({
    kind: z.literal('index-answer'),
    shop_id: z.number().int().positive(),
    job_id: z.string(),
    source: z.enum(['tier1', 'feedback']),
  }),
  /** An answer marked wrong: its example is taken back (see `forgetAnswer`). */
  z.object({
    kind: z.literal('forget-answer'),
    shop_id: z.number().int().positive(),
    job_id: z.string(),
  }),
]);
export type IngestJob = z.infer<typeof ingestJobSchema>;

export const ingestQueue = defineQueue({
  name: 'ingest',
  schema: ingestJobSchema,
  defaultJobOptions: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 5_000 },
    removeOnComplete: { age: 24 * 3600, count: 1_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
});
