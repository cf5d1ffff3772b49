/**
 * Load (issue 7): the real processes (API, 2 kpi workers, 1 llm worker,
 * redis-server with AOF `always`, Northwind as shop 2) driven by autocannon on
 * loopback at a fixed rate for LOAD_SECONDS, mixing cached answers, fresh
 * Tier 1 questions and questions that fail (Tier 2 with OLLAMA_HOST unset:
 * LLM_UNAVAILABLE). Reports throughput, p50/p99 submit-to-result latency per
 * kind, and lost jobs: every 202 must end succeeded or failed (must be 0).
 *
 *   npx tsx bench/load.bench.ts   (LOAD_SECONDS=60 LOAD_RATE=30 LOAD_CONNECTIONS=32 LOAD_SLICES=10)
 *   LOAD_SECONDS=20 LOAD_RATE=100 npx tsx bench/load.bench.ts
 *
 * Latency: cached = the HTTP round trip (the answer is in the response);
 * fresh and failing = submit (client clock, before sending) → the job record's
 * finished_at (same host clock), so queueing, the worker and the result write
 * are all in it.
 */
import autocannon from 'autocannon';
import { createFaultWorld, AS_OF, QUESTIONS } from '../test/faults/fault-harness.js';
import { percentile, printTable, postJson } from './bench-stats.js';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const RATE = Number(process.env.LOAD_RATE ?? 30);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 32);
const SLICES = Number(process.env.LOAD_SLICES ?? 10);
/** Share of each kind of request, in order: cached, fresh Tier 1, failing. */
const MIX = { cached: 0.4, tier1: 0.45, failing: 0.15 } as const;
type Kind = keyof typeof MIX;

/** Tier 1 questions whose answer depends on the day: a new as_of day is a new question. */
const TIER1 = ['How many orders yesterday?', 'Revenue yesterday', 'Average order value yesterday'];
const FAILING = 'Which country brings the most revenue per customer?';

interface Sent {
  kind: Kind;
  status: number;
  sentAt: number;
  receivedAt: number;
  jobId?: string;
  cacheHit?: boolean;
}

const world = await createFaultWorld({
  LOG_LEVEL: 'warn',
  LLM_RATE_PER_MINUTE: '1000000',
});
try {
  const api = await world.stack.startApi();
  world.stack.start('worker-kpi');
  world.stack.start('worker-kpi');
  world.stack.start('worker-llm');
  await waitReady(api);

  // Warm the cache (and check each kind lands where it should).
  for (const question of QUESTIONS) {
    const r = await postJson(`${api}/api/ask`, {
      shop_id: 2,
      question,
      as_of: AS_OF,
      wait_ms: 10_000,
    });
    if (r.status !== 'succeeded') throw new Error(`warm-up failed: ${JSON.stringify(r)}`);
  }
  for (const question of TIER1) {
    const r = await postJson(`${api}/api/ask`, {
      shop_id: 2,
      question,
      as_of: '1980-01-01T12:00:00Z',
    });
    if (r.tier !== 'kpi') throw new Error(`${question} is not Tier 1: ${JSON.stringify(r)}`);
  }
  const f = await postJson(`${api}/api/ask`, {
    shop_id: 2,
    question: FAILING,
    as_of: AS_OF,
    wait_ms: 10_000,
  });
  if ((f.error as { code?: string } | undefined)?.code !== 'LLM_UNAVAILABLE')
    throw new Error(`expected LLM_UNAVAILABLE, got ${JSON.stringify(f)}`);

  let n = 0;
  let day = 0;
  const sent: Sent[] = [];
  const pick = (i: number): Kind => {
    const x = (i * 0.618034) % 1; // evenly spread, deterministic
    return x < MIX.cached ? 'cached' : x < MIX.cached + MIX.tier1 ? 'tier1' : 'failing';
  };
  const body = (kind: Kind): Record<string, unknown> => {
    if (kind === 'cached')
      return { shop_id: 2, question: QUESTIONS[n % QUESTIONS.length], as_of: AS_OF };
    // One day per question, from 1996 on (Northwind's range and beyond).
    const asOf = new Date(Date.UTC(1996, 6, 1, 12) + day++ * 86_400_000).toISOString();
    return kind === 'tier1'
      ? { shop_id: 2, question: TIER1[n % TIER1.length], as_of: asOf }
      : { shop_id: 2, question: FAILING, as_of: asOf };
  };

  console.log(`load: ${RATE} req/s for ${SECONDS} s over ${CONNECTIONS} connections …`);
  // autocannon paces a rate per second: all of a second's requests leave at its
  // start. SLICES instances, each with its share of the rate, started 1/SLICES s
  // apart, spread them over the second, as independent clients would.
  const slices = Math.max(1, Math.min(SLICES, RATE));
  const runs = await Promise.all(
    Array.from({ length: slices }, async (_, slice) => {
      await new Promise((r) => setTimeout(r, (slice * 1000) / slices));
      return autocannon({
        url: `${api}/api/ask`,
        connections: Math.max(1, Math.ceil(CONNECTIONS / slices)),
        overallRate: RATE / slices,
        duration: SECONDS,
        timeout: 15,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            setupRequest: (req, context) => {
              const kind = pick(n++);
              const ctx = context as { kind?: Kind; sentAt?: number };
              ctx.kind = kind;
              ctx.sentAt = Date.now();
              return { ...req, body: JSON.stringify(body(kind)) };
            },
            onResponse: (status, text, context) => {
              const ctx = context as { kind: Kind; sentAt: number };
              const entry: Sent = {
                kind: ctx.kind,
                status,
                sentAt: ctx.sentAt,
                receivedAt: Date.now(),
              };
              try {
                const parsed = JSON.parse(text) as { job_id?: string; cache_hit?: boolean };
                if (parsed.job_id) entry.jobId = parsed.job_id;
                if (parsed.cache_hit !== undefined) entry.cacheHit = parsed.cache_hit;
              } catch {
                // counted by status
              }
              sent.push(entry);
            },
          },
        ],
      });
    }),
  );
  const result = {
    total: runs.reduce((a, r) => a + r.requests.total, 0),
    non2xx: runs.reduce((a, r) => a + r.non2xx, 0),
    errors: runs.reduce((a, r) => a + r.errors, 0),
    timeouts: runs.reduce((a, r) => a + r.timeouts, 0),
  };

  // Drain: every accepted job must end succeeded or failed.
  const accepted = sent.filter((s) => s.status === 202 && s.jobId);
  const ids = [...new Set(accepted.map((s) => s.jobId!))];
  const finishedAt = new Map<string, { at: number; status: string }>();
  const deadline = Date.now() + 120_000;
  while (finishedAt.size < ids.length && Date.now() < deadline) {
    const open = ids.filter((id) => !finishedAt.has(id));
    for (let i = 0; i < open.length; i += 500) {
      const chunk = open.slice(i, i + 500);
      const records = await Promise.all(chunk.map((id) => world.results.get(id)));
      records.forEach((r, j) => {
        if (r && (r.status === 'succeeded' || r.status === 'failed') && r.finished_at)
          finishedAt.set(chunk[j]!, { at: Date.parse(r.finished_at), status: r.status });
      });
    }
    if (finishedAt.size < ids.length) await new Promise((r) => setTimeout(r, 250));
  }
  const lost = ids.length - finishedAt.size;

  const rows = (['cached', 'tier1', 'failing'] as Kind[]).map((kind) => {
    const mine = sent.filter((s) => s.kind === kind);
    const latencies = mine.flatMap((s) => {
      if (s.status === 200) return [s.receivedAt - s.sentAt];
      const done = s.jobId ? finishedAt.get(s.jobId) : undefined;
      return s.status === 202 && done ? [done.at - s.sentAt] : [];
    });
    const outcomes = mine.map((s) =>
      s.status === 200
        ? s.cacheHit
          ? 'hit'
          : 'answered'
        : (finishedAt.get(s.jobId ?? '')?.status ?? String(s.status)),
    );
    const count = (o: string) => outcomes.filter((x) => x === o).length;
    return {
      kind,
      requests: mine.length,
      'cache hit': count('hit'),
      succeeded: count('succeeded') + count('answered'),
      failed: count('failed'),
      'other status': mine.filter((s) => s.status !== 200 && s.status !== 202).length,
      'p50 ms': percentile(latencies, 50),
      'p99 ms': percentile(latencies, 99),
      'max ms': Math.max(...latencies),
    };
  });
  const http = sent.map((x) => x.receivedAt - x.sentAt);
  const firstSent = Math.min(...sent.map((s) => s.sentAt));
  const lastDone = Math.max(
    ...sent.map((s) => s.receivedAt),
    ...[...finishedAt.values()].map((d) => d.at),
  );
  printTable(
    `load: ${RATE} req/s target, ${SECONDS} s, ${CONNECTIONS} connections; API + 2 kpi + 1 llm worker, redis AOF always`,
    rows,
  );
  printTable('totals', [
    {
      'sent req/s': +(result.total / SECONDS).toFixed(1),
      'answers/s (first send → last result)': +(
        (sent.filter((s) => s.status === 200).length + finishedAt.size) /
        ((lastDone - firstSent) / 1000)
      ).toFixed(1),
      'HTTP p50 ms': percentile(http, 50),
      'HTTP p99 ms': percentile(http, 99),
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      accepted: ids.length,
      lost,
    },
  ]);
  if (lost > 0) process.exitCode = 1;
} finally {
  await world.teardown();
}

async function waitReady(api: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await fetch(`${api}/health/ready`).catch(() => null))?.ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('api not ready');
}
