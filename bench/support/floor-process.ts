/**
 * The round-trip benchmark's floors, in a process of their own as the
 * service's API and worker are: a bare BullMQ worker whose jobs do nothing,
 * and a plain Express app that parses a JSON body and answers JSON. Prints
 * `ready <port>` when both are up; stops on SIGTERM.
 *
 *   FLOOR_REDIS_URL=redis://… FLOOR_QUEUE=noop FLOOR_PREFIX={rt-noop} FLOOR_CONCURRENCY=1 \
 *     tsx bench/support/floor-process.ts
 */
import type { AddressInfo } from 'node:net';
import { Worker } from 'bullmq';
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

const app = express();
app.use(express.json());
app.post('/echo', (req, res) => {
  res.json({ ok: true, question: (req.body as { question?: string }).question });
});
const server = app.listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
console.log(`ready ${(server.address() as AddressInfo).port}`);

process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close();
  void worker.close().then(() => {
    connection.disconnect();
    process.exit(0);
  });
});
