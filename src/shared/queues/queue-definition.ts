import { Queue, UnrecoverableError, type JobsOptions } from 'bullmq';
import type { z } from 'zod';
import type { RedisClient } from '../redis/redis-connection.js';

/** BullMQ priorities: lower runs first. */
export const PRIORITY = { interactive: 1, batch: 10 } as const;
export type PriorityClass = keyof typeof PRIORITY;

export interface QueueDefinition<S extends z.ZodType> {
  readonly name: string;
  readonly schema: S;
  readonly defaultJobOptions: JobsOptions;
}

export function defineQueue<S extends z.ZodType>(def: QueueDefinition<S>): QueueDefinition<S> {
  return def;
}

/**
 * Each queue's keys share one hash tag, so on a Redis Cluster a queue lives on
 * one slot (BullMQ's documented way) while different queues spread out.
 */
export function queuePrefix(basePrefix: string, queueName: string): string {
  return `{${basePrefix}:${queueName}}`;
}

export function createQueue<S extends z.ZodType>(
  def: QueueDefinition<S>,
  connection: RedisClient,
  basePrefix: string,
): Queue<z.output<S>> {
  const queue = new Queue<z.output<S>>(def.name, {
    connection,
    prefix: queuePrefix(basePrefix, def.name),
    defaultJobOptions: def.defaultJobOptions,
  });
  return queue;
}

/**
 * Parse a payload on receipt. A payload that does not fit will never fit, so it
 * fails the job at once instead of burning retries.
 */
export function parsePayload<S extends z.ZodType>(
  def: QueueDefinition<S>,
  data: unknown,
): z.output<S> {
  const parsed = def.schema.safeParse(data);
  if (!parsed.success) {
    throw new UnrecoverableError(`invalid ${def.name} payload: ${parsed.error.issues[0]?.message}`);
  }
  return parsed.data;
}
