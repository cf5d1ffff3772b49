import path from 'node:path';
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importShop } from '../../src/shared/data/import/import-shop.js';
import { guardPipeline } from '../../src/shared/guard/pipeline-guard.js';
import { pipelineReply, startFakeOllama, type FakeOllama } from '../support/fake-ollama.server.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';
import { DANGEROUS_KEYS, INJECTIONS } from './fuzz-arbitraries.js';

const NORTHWIND = path.resolve(import.meta.dirname, '../fixtures/northwind');
const AS_OF = '1998-05-06T18:00:00.000Z';
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

/** Tier 1 questions with a slot where the attack goes. */
const TEMPLATES = [
  (x: string) => `How many orders did we get last month? ${x}`,
  (x: string) => `${x} revenue in March 1998`,
  (x: string) => `Revenue by country in 1997 ${x}`,
  (x: string) => `Top 5 products by revenue in 1997 ${x}`,
  (x: string) => `How many orders from customer ${x} in 1997?`,
  (x: string) => `Revenue of product ${x} last month`,
];

/** Every object key in a JSON value, at any depth. */
function keysOf(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keysOf(v, into);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      keysOf(v, into);
    }
  }
  return into;
}

/** True when `needle` occurs as a whole sub-value of `hay`. */
function containsSubtree(hay: unknown, needle: unknown): boolean {
  if (JSON.stringify(hay) === JSON.stringify(needle)) return true;
  if (Array.isArray(hay)) return hay.some((v) => containsSubtree(v, needle));
  if (hay && typeof hay === 'object')
    return Object.values(hay).some((v) => containsSubtree(v, needle));
  return false;
}

function parsedInjection(text: string): unknown {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

interface Finished {
  status: string;
  tier: string;
  query?: { collection: string; pipeline: unknown[] } | null;
}

describe('an accepted injection-looking question is data, never code', () => {
  let stack: TestStack;
  let ollama: FakeOllama;
  const baseline = new Map<number, Set<string>>();
  /** What the (obedient, attacker-controlled) model puts in its pipeline this time. */
  let reflected = '';

  beforeAll(async () => {
    ollama = await startFakeOllama();
    // The worst model: it copies the attack from the question into its pipeline.
    ollama.respondWith(() => {
      const parsed = parsedInjection(reflected);
      const stage = Array.isArray(parsed)
        ? parsed
        : [{ $match: parsed ?? { status: reflected } }, { $count: 'orders' }];
      return pipelineReply('order', stage);
    });
    stack = await startTestStack({
      workers: ['kpi', 'llm'],
      overrides: {
        RATE_LIMIT_PER_MINUTE: '1000000',
        SHOP_MAX_QUEUED: '1000000',
        OLLAMA_HOST: ollama.url,
        OLLAMA_MODEL: 'fake-model:7b',
        OLLAMA_TIMEOUT_MS: '2000',
        // Each rejected round counts as a model call, not a failure of the model.
        OLLAMA_BREAKER_FAILURES: '1000',
      },
    });
    await importShop(stack.core, 2, NORTHWIND, { name: 'Northwind', timezone: 'UTC' });
  });
  afterAll(async () => {
    await stack?.stop();
    await ollama?.close();
  });

  /** The finished job, or null for a Tier 3 question (no rag worker in this stack). */
  async function answer(question: string): Promise<Finished | null> {
    const res = await request(stack.app)
      .post('/api/ask')
      .send({ shop_id: 2, question, as_of: AS_OF });
    expect(res.status, res.text.slice(0, 300)).toBeLessThan(500);
    if (res.status === 200) return res.body as Finished;
    expect(res.status).toBe(202);
    const accepted = res.body as { job_id: string; tier: string };
    if (accepted.tier === 'rag') return null;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const job = (await request(stack.app).get(`/api/jobs/${accepted.job_id}`).expect(200))
        .body as Finished;
      if (job.status === 'succeeded' || job.status === 'failed') return job;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no answer in time for ${question}`);
  }

  it('Tier 1 compiles only its own operators; Tier 2 runs nothing the guard forbids', async () => {
    // The operator keys each template compiles to with harmless text in the slot.
    for (const [i, template] of TEMPLATES.entries()) {
      const job = await answer(template('please'));
      baseline.set(i, keysOf(job?.query?.pipeline ?? []));
    }
    const seen = { kpi: 0, llm: 0, rejected: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.nat(TEMPLATES.length - 1),
        fc.constantFrom(...INJECTIONS),
        async (t, injection) => {
          reflected = injection;
          const job = await answer(TEMPLATES[t]!(injection));
          if (!job) return;
          if (job.tier === 'llm') seen.llm++;
          const parsed = parsedInjection(injection);
          const dangerous = DANGEROUS_KEYS.some((k) => keysOf(parsed).has(k));
          if (job.tier === 'llm' && dangerous) {
            // The guard refused every pipeline the model wrote: nothing ran.
            expect(job.status).toBe('failed');
            seen.rejected++;
          }
          if (job.status !== 'succeeded' || !job.query) return;
          const { collection, pipeline } = job.query;
          const keys = keysOf(pipeline);
          for (const k of DANGEROUS_KEYS) expect(keys.has(k), k).toBe(false);
          // Scoped to the shop, first thing.
          expect(pipeline[0]).toMatchObject({ $match: { shop_id: 2 } });
          const guarded = guardPipeline(
            { collection, pipeline: pipeline as Record<string, unknown>[] },
            2,
          );
          expect(guarded.ok, JSON.stringify(guarded)).toBe(true);
          if (job.tier === 'kpi') {
            seen.kpi++;
            // An operator named in the attack only appears if the plain question compiles to it too.
            for (const op of injection.match(/\$[A-Za-z]+/g) ?? []) {
              if (keys.has(op))
                expect(baseline.get(t)!.has(op), `${op} in ${injection}`).toBe(true);
            }
            // A JSON attack never lands in a Tier 1 pipeline as structure.
            if (parsed !== undefined) expect(containsSubtree(pipeline, parsed)).toBe(false);
          }
        },
      ),
      { numRuns: Math.min(RUNS, 60) },
    );
    // Not vacuous. The Tier 1 parser escalates text it cannot read, so attacks
    // land in Tier 2 (seen.kpi is usually 0); there the guard stopped the dangerous ones.
    expect(seen.llm, JSON.stringify(seen)).toBeGreaterThan(10);
    expect(seen.rejected, JSON.stringify(seen)).toBeGreaterThan(3);
  });
});
