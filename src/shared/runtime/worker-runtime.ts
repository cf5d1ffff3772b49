import { Worker, type Job, type WorkerOptions } from 'bullmq';
import type { Logger } from '../logging/logger.js';
import { queuePrefix } from '../queues/queue-definition.js';
import type { RedisClient } from '../redis/redis-connection.js';

export interface WorkerSpec {
  queueName: string;
  prefix: string;
  connection: RedisClient;
  logger: Logger;
  processor: (job: Job) => Promise<unknown>;
  concurrency: number;
  /** How long a job may run before another worker may consider it stalled. */
  lockDuration: number;
  limiter?: WorkerOptions['limiter'];
  settings?: WorkerOptions['settings'];
}

/** A BullMQ worker with the listeners every worker needs. */
export function startWorker(spec: WorkerSpec): Worker {
  const worker = new Worker(spec.queueName, spec.processor, {
    connection: spec.connection,
    prefix: queuePrefix(spec.prefix, spec.queueName),
    concurrency: spec.concurrency,
    lockDuration: spec.lockDuration,
    // Stalled jobs (a worker killed mid-job) are picked up again this often.
    stalledInterval: Math.max(1_000, Math.floor(spec.lockDuration / 2)),
    maxStalledCount: 2,
    ...(spec.limiter ? { limiter: spec.limiter } : {}),
    ...(spec.settings ? { settings: spec.settings } : {}),
  });
  worker.on('error', (err) => spec.logger.error({ err, queue: spec.queueName }, 'worker error'));
  worker.on('failed', (job, err) =>
    spec.logger.debug(
      { jobId: job?.id, queue: spec.queueName, err: err.message },
      'job attempt failed',
    ),
  );
  return worker;
}
