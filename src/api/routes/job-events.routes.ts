import { Router, type Response } from 'express';
import type { JobEventHub } from '../../shared/events/job-event-hub.js';
import { isFinalStatus, publicView, type JobRecord } from '../../shared/results/job-record.js';
import type { ResultsStore } from '../../shared/results/results-store.js';
import { registry } from '../docs/openapi-registry.js';
import { errorBodySchema, tierSchema } from '../schemas/ask.schemas.js';
import { z } from '../schemas/openapi-zod.js';
import { loadJob } from './jobs.routes.js';

/** Data of an `event: status` frame. */
export const jobStatusEventSchema = z
  .object({
    job_id: z.string(),
    shop_id: z.number().int(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed']),
    tier: tierSchema,
    at: z.string().openapi({ description: 'When the stream saw this state.' }),
  })
  .openapi('JobStatusEvent');

registry.registerPath({
  method: 'get',
  path: '/api/jobs/{job_id}/events',
  summary: "Stream a job's status changes (Server-Sent Events)",
  description:
    "A `text/event-stream` of the job's states. The first frame is the current state; then " +
    '`event: status` frames (data: JobStatusEvent) follow each change of status or tier ' +
    '(queued → running → escalated to another tier → …). When the job succeeds or fails, one ' +
    '`event: done` frame carries the whole job (as GET /api/jobs/{job_id}) and the stream ends. ' +
    'Comment lines (`: ping`) keep the connection open every 15 s. After 5 minutes without a ' +
    'result the stream ends with `event: timeout`; poll GET /api/jobs/{job_id} or reconnect. ' +
    'Authenticate with the `Authorization` header, as for every /api call: read the stream with ' +
    '`fetch()` rather than `EventSource`, which cannot send headers. Keys are never accepted in ' +
    'the URL, where proxies and logs would keep them.',
  security: [{ bearer: [] }],
  request: { params: z.object({ job_id: z.string() }) },
  responses: {
    200: {
      description: 'The event stream',
      content: {
        'text/event-stream': {
          schema: z.string().openapi({
            example:
              'retry: 3000\n\nevent: status\ndata: {"job_id":"…","shop_id":2,"status":"queued","tier":"kpi","at":"…"}\n\n' +
              'event: status\ndata: {"job_id":"…","shop_id":2,"status":"running","tier":"kpi","at":"…"}\n\n' +
              'event: done\ndata: {"job_id":"…","status":"succeeded","answer":"…",…}\n\n',
          }),
        },
      },
    },
    404: {
      description: 'JOB_NOT_FOUND (unknown, expired, or another shop’s job)',
      content: { 'application/json': { schema: errorBodySchema } },
    },
  },
});
// The frames' data is not a response body the generator can see; list it as a component.
registry.register('JobStatusEvent', jobStatusEventSchema);

export interface JobEventsRouterDeps {
  results: ResultsStore;
  events: JobEventHub;
  /** Interval of `: ping` comments; also re-reads the record, in case a pub/sub message was lost. */
  heartbeatMs?: number;
  /** Longest a stream stays open for one job. */
  maxStreamMs?: number;
}

const HEARTBEAT_MS = 15_000;
const MAX_STREAM_MS = 5 * 60_000;

function frame(res: Response, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * GET /api/jobs/:job_id/events. Pub/sub messages only say "this job changed":
 * the stream re-reads the record and sends its state, so frames are always the
 * stored truth, duplicates collapse, and an event older than the first read
 * cannot step the client backwards.
 */
export function jobEventsRouter(deps: JobEventsRouterDeps): Router {
  const heartbeatMs = deps.heartbeatMs ?? HEARTBEAT_MS;
  const maxStreamMs = deps.maxStreamMs ?? MAX_STREAM_MS;
  const router = Router();

  router.get('/api/jobs/:job_id/events', async (req, res) => {
    const jobId = req.params.job_id;
    let changed = false;
    let wake: (() => void) | null = null;
    const signal = () => {
      changed = true;
      wake?.();
    };
    // Subscribe before the first read, so a change between the two is not lost.
    const off = deps.events.on(jobId, signal);
    let record: JobRecord;
    try {
      record = await loadJob(deps.results, req, jobId);
    } catch (err) {
      off();
      throw err;
    }

    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // Nginx and similar proxies would otherwise buffer the stream.
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    res.write('retry: 3000\n\n');

    let closed = false;
    let timedOut = false;
    const heartbeat = setInterval(() => {
      res.write(': ping\n\n');
      signal();
    }, heartbeatMs);
    const deadline = setTimeout(() => {
      timedOut = true;
      signal();
    }, maxStreamMs);
    res.on('close', () => {
      closed = true;
      signal();
    });
    // A client gone while the record was read has already fired 'close'.
    if (req.socket.destroyed) closed = true;

    let sent = '';
    try {
      for (;;) {
        const state = `${record.status}/${record.tier}`;
        if (state !== sent) {
          sent = state;
          frame(res, 'status', {
            job_id: record.job_id,
            shop_id: record.shop_id,
            status: record.status,
            tier: record.tier,
            at: new Date().toISOString(),
          });
        }
        if (isFinalStatus(record.status)) {
          frame(res, 'done', publicView(record));
          break;
        }
        if (!changed) await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        changed = false;
        if (closed) break;
        if (timedOut) {
          frame(res, 'timeout', { job_id: jobId, status_url: `/api/jobs/${jobId}` });
          break;
        }
        const fresh = await deps.results.get(jobId);
        if (closed) break;
        if (!fresh) {
          frame(res, 'error', { error: { code: 'JOB_NOT_FOUND', message: `no job ${jobId}` } });
          break;
        }
        record = fresh;
      }
    } catch (err) {
      // Headers are gone: the error handler cannot answer, so the stream says it and ends.
      req.log?.warn({ err }, 'job event stream failed');
      if (!closed) {
        frame(res, 'error', { error: { code: 'INTERNAL', message: 'the stream failed' } });
      }
    } finally {
      off();
      clearInterval(heartbeat);
      clearTimeout(deadline);
      if (!res.writableEnded) res.end();
    }
  });
  return router;
}
