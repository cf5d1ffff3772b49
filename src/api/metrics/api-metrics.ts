import type { Queue } from 'bullmq';
import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SharedCounters } from '../../shared/metrics/shared-counters.js';
import { isFinalStatus } from '../../shared/results/job-record.js';
import type { JobEvent } from '../../shared/results/results-store.js';

/** Counters workers add to through Redis, exposed here under these names. */
const SHARED_COUNTERS: Record<string, string> = {
  job_outcomes_total: 'Finished questions by tier and status (all workers)',
  webhook_deliveries_total: 'Webhook delivery attempts by outcome (all webhook workers)',
  llm_calls_total: 'Calls to the LLM by outcome (all llm workers)',
};
const SHARED_GAUGES: Record<string, string> = {
  llm_circuit_state:
    'LLM circuit breaker: 0 closed, 1 half-open, 2 open (last reported by a worker)',
};

/**
 * Prometheus metrics of the API process at GET /metrics: request latency,
 * submit-to-result latency per tier (from the job event stream the API already
 * follows), queue depth and age (read from BullMQ at scrape time), cache hits,
 * and the counters workers keep in Redis.
 */
export class ApiMetrics {
  readonly registry = new Registry();
  private readonly http: Histogram;
  private readonly jobLatency: Histogram;
  private readonly cache: Counter;

  constructor(queues: Queue[], shared: SharedCounters | null) {
    collectDefaultMetrics({ register: this.registry, prefix: 'si_' });
    this.http = new Histogram({
      name: 'si_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.jobLatency = new Histogram({
      name: 'si_job_duration_seconds',
      help: 'Submit-to-result time of questions, by tier and final status',
      labelNames: ['tier', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers: [this.registry],
    });
    this.cache = new Counter({
      name: 'si_cache_lookups_total',
      help: 'Answer cache lookups by result',
      labelNames: ['result'],
      registers: [this.registry],
    });
    new Gauge({
      name: 'si_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        await Promise.all(
          queues.map(async (q) => {
            const counts = await q.getJobCounts(
              'waiting',
              'prioritized',
              'active',
              'delayed',
              'failed',
              'completed',
            );
            for (const [state, n] of Object.entries(counts)) this.set({ queue: q.name, state }, n);
          }),
        );
      },
    });
    new Gauge({
      name: 'si_queue_oldest_waiting_age_seconds',
      help: 'Age of the oldest job waiting in each queue',
      labelNames: ['queue'],
      registers: [this.registry],
      async collect() {
        this.reset();
        await Promise.all(
          queues.map(async (q) => {
            const [oldest] = [
              ...(await q.getJobs(['prioritized'], -1, -1, true)),
              ...(await q.getJobs(['waiting'], 0, 0, true)),
            ].sort((a, b) => a.timestamp - b.timestamp);
            this.set({ queue: q.name }, oldest ? (Date.now() - oldest.timestamp) / 1000 : 0);
          }),
        );
      },
    });
    if (shared) {
      for (const [name, help] of Object.entries(SHARED_COUNTERS))
        sharedMetric('counter', name, help, shared, this.registry);
      for (const [name, help] of Object.entries(SHARED_GAUGES))
        sharedMetric('gauge', name, help, shared, this.registry);
    }
  }

  /** Express middleware timing every request by its route pattern (not its raw URL). */
  middleware(): RequestHandler {
    return (req, res, next) => {
      const end = this.http.startTimer();
      res.on('finish', () => {
        const route =
          (req.route as { path?: string } | undefined)?.path ??
          (res.statusCode === 404 ? 'unmatched' : req.baseUrl || 'other');
        end({ method: req.method, route: String(route), status: String(res.statusCode) });
      });
      next();
    };
  }

  observeJobEvent(event: JobEvent): void {
    if (isFinalStatus(event.status) && event.total_ms !== undefined) {
      this.jobLatency.observe({ tier: event.tier, status: event.status }, event.total_ms / 1000);
    }
  }

  cacheLookup(hit: boolean): void {
    this.cache.inc({ result: hit ? 'hit' : 'miss' });
  }
}

function sharedMetric(
  kind: 'counter' | 'gauge',
  name: string,
  help: string,
  shared: SharedCounters,
  registry: Registry,
): void {
  const labelNames = ['tier', 'status', 'outcome', 'queue'];
  if (kind === 'gauge') {
    new Gauge({
      name: `si_${name}`,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        for (const row of await shared.readGauges())
          if (row.name === name) this.set(row.labels, row.value);
      },
    });
    return;
  }
  // The totals live in Redis; the counter advances by what changed since the
  // last scrape, so it stays monotonic even if Redis was flushed.
  const seen = new Map<string, number>();
  new Counter({
    name: `si_${name}`,
    help,
    labelNames,
    registers: [registry],
    async collect() {
      for (const row of await shared.readCounters()) {
        if (row.name !== name) continue;
        const key = JSON.stringify(row.labels);
        const delta = row.value - (seen.get(key) ?? 0);
        seen.set(key, row.value);
        if (delta > 0) this.inc(row.labels, delta);
      }
    },
  });
}
