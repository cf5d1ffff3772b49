import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  pipelineReply,
  refusedUrl,
  startFakeOllama,
  type FakeOllama,
} from '../support/fake-ollama.server.js';
import type { RunningProcess } from '../support/process-stack.js';
import type { JobRecord } from '../../src/shared/results/job-record.js';
import {
  ask,
  AS_OF,
  createFaultWorld,
  eventually,
  stopProcess,
  waitForFinal,
  type FaultWorld,
} from './fault-harness.js';

const BREAKER_FAILURES = 5;
const LLM_CONCURRENCY = 2;
const TIMEOUT_MS = 1_500;
const HALF_OPEN_MS = 8_000;
/** Distinct Tier 2 questions (the Tier 1 compiler cannot answer them). */
const llmQuestion = (n: number) => `How many orders had more than ${n} lines in April 1998?`;
/** Orders of April 1998 in Northwind: 74. */
const APRIL_COUNT = [
  {
    $match: {
      created_at: {
        $gte: { $date: '1998-04-01T00:00:00Z' },
        $lt: { $date: '1998-05-01T00:00:00Z' },
      },
    },
  },
  { $count: 'orders' },
];

describe('Ollama down or hanging', () => {
  let world: FaultWorld;
  let api: string;
  let llmWorker: RunningProcess | null = null;
  let ollama: FakeOllama | null = null;
  let next = 2;

  beforeAll(async () => {
    world = await createFaultWorld({
      OLLAMA_MODEL: 'fake-model:7b',
      OLLAMA_TIMEOUT_MS: String(TIMEOUT_MS),
      OLLAMA_BREAKER_FAILURES: String(BREAKER_FAILURES),
      LLM_CONCURRENCY: String(LLM_CONCURRENCY),
    });
    api = await world.stack.startApi();
  });
  afterAll(async () => {
    await world?.teardown();
    await ollama?.close();
  });

  async function startLlmWorker(env: Record<string, string>): Promise<RunningProcess> {
    if (llmWorker) await stopProcess(llmWorker);
    llmWorker = world.stack.start('worker-llm', env);
    const log = logOf(world.stack.processes.filter((p) => p.name === 'worker-llm').length - 1);
    await eventually(
      async () => (await readFile(log, 'utf8').catch(() => '')).includes('llm worker started'),
      30_000,
      'the llm worker to start',
    );
    return llmWorker;
  }

  const logOf = (index: number) => path.join(world.dir, `worker-llm-${index}.log`);

  async function askMany(n: number): Promise<{ jobIds: string[]; submittedAt: number }> {
    const submittedAt = Date.now();
    const responses = await Promise.all(
      Array.from({ length: n }, () =>
        ask(api, { shop_id: 2, question: llmQuestion(next++), as_of: AS_OF }),
      ),
    );
    const jobIds: string[] = [];
    for (const res of responses) {
      expect(res.status).toBe(202);
      const body = (await res.json()) as { job_id: string; tier: string };
      expect(body.tier).toBe('llm');
      jobIds.push(body.job_id);
    }
    return { jobIds, submittedAt };
  }

  /** The circuit opened, then every job failed with LLM_UNAVAILABLE; later jobs fail fast. */
  async function expectCircuitOpens(workerLog: string): Promise<JobRecord[]> {
    const first = await askMany(8);
    const firstRecords = await waitForFinal(world.results, first.jobIds, 60_000);
    for (const r of firstRecords) {
      expect(r.status).toBe('failed');
      expect(r.error?.code).toBe('LLM_UNAVAILABLE');
    }
    // At least the jobs after the fifth failure were refused by the open circuit.
    expect(firstRecords.filter((r) => /circuit open/.test(r.error?.message ?? '')).length).toBe(
      firstRecords.length,
    );
    expect(await readFile(workerLog, 'utf8')).toMatch(/"state":"open".*ollama circuit state/);

    // With the circuit open, jobs fail at once: one attempt, no model round.
    const second = await askMany(6);
    const secondRecords = await waitForFinal(world.results, second.jobIds, 15_000);
    for (const r of secondRecords) {
      expect(r.status).toBe('failed');
      expect(r.error?.code).toBe('LLM_UNAVAILABLE');
      expect(r.error?.message).toMatch(/circuit open/);
      expect(r.attempts).toHaveLength(1);
      expect(r.attempts[0]!.steps).toBeUndefined();
      expect(r.error?.suggestions?.length).toBeGreaterThan(0);
      // Fast: well under one model timeout from submit to result.
      expect(Date.parse(r.finished_at!) - Date.parse(r.created_at)).toBeLessThan(TIMEOUT_MS);
    }
    return [...firstRecords, ...secondRecords];
  }

  it('down (connection refused): the circuit opens and jobs fail fast with LLM_UNAVAILABLE', async () => {
    await startLlmWorker({ OLLAMA_HOST: await refusedUrl() });
    await expectCircuitOpens(logOf(0));
  });

  it('hanging (never answers): calls time out, the circuit opens, jobs fail fast with LLM_UNAVAILABLE', async () => {
    ollama = await startFakeOllama({ model: 'fake-model:7b' });
    // Holds every request far beyond the client's timeout.
    ollama.respondWith(() => ({ content: '{}', delayMs: 10 * 60_000 }));
    await startLlmWorker({
      OLLAMA_HOST: ollama.url,
      OLLAMA_BREAKER_HALF_OPEN_MS: String(HALF_OPEN_MS),
    });
    const started = Date.now();
    await expectCircuitOpens(logOf(1));
    // Calls stopped once the circuit opened: the failures that opened it, plus at
    // most the calls already in flight on the worker's other slots.
    expect(ollama.requests.length).toBeGreaterThanOrEqual(BREAKER_FAILURES);
    expect(ollama.requests.length).toBeLessThanOrEqual(BREAKER_FAILURES + LLM_CONCURRENCY - 1);
    // 14 jobs, each of which would otherwise wait up to 2 attempts × 3 rounds × the timeout.
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('closes again when Ollama is back: after the half-open delay one trial call goes through', async () => {
    const fake = ollama!;
    const called = fake.requests.length;
    fake.respondWith(() => pipelineReply('order', APRIL_COUNT));
    const answered = await eventually(
      async () => {
        const { jobIds } = await askMany(1);
        const [r] = await waitForFinal(world.results, jobIds, 20_000);
        return r!.status === 'succeeded' ? r! : null;
      },
      HALF_OPEN_MS + 20_000,
      'a question to succeed after the circuit half-opens',
      1_000,
    );
    expect(answered.tier).toBe('llm');
    expect(answered.data).toMatchObject({ kind: 'scalar', value: 74 });
    expect(fake.requests.length).toBe(called + 1);
    const { jobIds } = await askMany(2);
    for (const r of await waitForFinal(world.results, jobIds, 20_000))
      expect(r.status).toBe('succeeded');
  });
});
