import { z } from 'zod';
import { defineQueue } from './queue-definition.js';

/**
 * One delivery of one event to one endpoint. The body and the secret are looked
 * up by id at send time: secrets never travel in job payloads.
 */
export const webhookJobSchema = z.object({
  delivery_id: z.string().min(1),
  shop_id: z.number().int().positive(),
});
export type WebhookJob = z.infer<typeof webhookJobSchema>;

export const webhookQueue = defineQueue({
  name: 'webhooks',
  schema: webhookJobSchema,
  defaultJobOptions: {
    // ~1 day of retries: 15 attempts with jittered exponential backoff (see the
    // delivery processor's backoff strategy).
    attempts: 15,
    backoff: { type: 'webhook' },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
});
