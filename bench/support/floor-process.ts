/**
 * The round-trip benchmark's floors, in a process of their own as the
 * service's API and worker are: a bare BullMQ worker whose jobs do nothing,
 * and a plain Express app that parses a JSON body and answers JSON. The app's
 * `/relay` queues a no-op job and answers when it completes: the least an
 * HTTP front on a BullMQ queue can do (no auth, limits, records or parsing).
 * Prints `ready <port>` when all are up; stops on SIGTERM.
 *
 *   FLOOR_REDIS_URL=redis://… FLOOR_QUEUE=noop FLOOR_PREFIX={rt-noop} FLOOR_CONCURRENCY=1 \
 *     tsx bench/support/floor-process.ts
 */
import type { AddressInfo } from 'node:net';
import { Queue, QueueEvents, Worker } from 'bullmq';
import express from 'express';
import { Redis } from 'ioredis';

const { FLOOR_REDIS_URL: url, FLOOR_QUEUE: queue, FLOOR_PREFIX: prefix } = process.env;
if (!url || !queue || !prefix)
  throw new Error('FLOOR_REDIS_URL, FLOOR_QUEUE and FLOOR_PREFIX are required');
const connection = new Redis(url, { maxRetriesPerRequest: null });
const worker = new Worker(queue, () => Promise.resolve(), {
  connection,
  prefix,
  concurrency: Number(process.env.FLOOR_CONCURRENCY ?? 1),
});
await worker.waitUntilReady();

// The relay's producer side lives in a second process in the service (the
// API); here it shares this one, which only flatters the relay floor.
const relayQueue = new Queue(queue, { connection, prefix });
const relayEventsConnection = new Redis(url, { maxRetriesPerRequest: null });
const relayEvents = new QueueEvents(queue, { connection: relayEventsConnection, prefix });
await relayEvents.waitUntilReady();
const relayed = new Map<string, () => void>();
relayEvents.on('completed', ({ jobId }) => relayed.get(jobId)?.());
let relayId = 0;

const app = express();
app.use(express.json());
app.post('/echo', (req, res) => {
  res.json({ ok: true, question: (req.body as { question?: string }).question });
});
app.post('/relay', (req, res, next) => {
  const id = `relay-${process.pid}-${relayId++}`;
  const done = new Promise<void>((resolve) => relayed.set(id, resolve));
  relayQueue
    .add('noop', req.body, { jobId: id, removeOnComplete: true })
    .then(() => done)
    .then(() => {
      relayed.delete(id);
      res.json({ ok: true, job_id: id });
    }, next);
});
const server = app.listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
console.log(`ready ${(server.address() as AddressInfo).port}`);

process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close();
  void Promise.all([worker.close(), relayEvents.close(), relayQueue.close()]).then(() => {
    relayEventsConnection.disconnect();
    connection.disconnect();
    process.exit(0);
  });
});
