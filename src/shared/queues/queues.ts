import type { Queue } from 'bullmq';
import type { Logger } from '../logging/logger.js';
import type { RedisClient } from '../redis/redis-connection.js';
import { ingestQueue, type IngestJob } from './ingest.queue.js';
import { kpiQueue } from './kpi-question.queue.js';
import { llmQueue } from './llm-question.queue.js';
import { createQueue, PRIORITY, type PriorityClass } from './queue-definition.js';
import type { QuestionJob, Tier } from './question-job.js';
import { ragQueue } from './rag-question.queue.js';
import { webhookQueue, type WebhookJob } from './webhook-delivery.queue.js';

export interface Queues {
  kpi: Queue<QuestionJob>;
  llm: Queue<QuestionJob>;
  rag: Queue<QuestionJob>;
  webhooks: Queue<WebhookJob>;
  ingest: Queue<IngestJob>;
}

export const QUESTION_QUEUES = { kpi: kpiQueue, llm: llmQueue, rag: ragQueue } as const;

export function createQueues(connection: RedisClient, prefix: string, logger: Logger): Queues {
  const queues: Queues = {
    kpi: createQueue(kpiQueue, connection, prefix),
    llm: createQueue(llmQueue, connection, prefix),
    rag: createQueue(ragQueue, connection, prefix),
    webhooks: createQueue(webhookQueue, connection, prefix),
    ingest: createQueue(ingestQueue, connection, prefix),
  };
  for (const queue of allQueues(queues)) {
    queue.on('error', (err) => logger.error({ err, queue: queue.name }, 'queue error'));
  }
  return queues;
}

export function allQueues(queues: Queues): Queue[] {
  return [queues.kpi, queues.llm, queues.rag, queues.webhooks, queues.ingest] as Queue[];
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.allSettled(allQueues(queues).map((q) => q.close()));
}

/**
 * Put a question on its tier's queue. The BullMQ job id is our job id, so the
 * same question is one job per queue even if a submit is retried, and an
 * escalation keeps the id the client already has.
 */
export async function enqueueQuestion(
  queues: Queues,
  tier: Tier,
  payload: QuestionJob,
  priority: PriorityClass = 'interactive',
): Promise<void> {
  await queues[tier].add(tier, payload, { jobId: payload.job_id, priority: PRIORITY[priority] });
}

export async function enqueueIngest(queues: Queues, job: IngestJob, jobId?: string): Promise<void> {
  await queues.ingest.add(job.kind, job, {
    priority: PRIORITY.batch,
    ...(jobId ? { jobId } : {}),
  });
}
