import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, AS_OF, createFaultWorld, waitForFinal, type FaultWorld } from './fault-harness.js';

describe('the data store failing', () => {
  let world: FaultWorld;
  beforeAll(async () => {
    world = await createFaultWorld();
  });
  afterAll(async () => world?.teardown());

  it('retries with backoff, then fails the job with a clear code; recovers when the data is back', async () => {
    const api = await world.stack.startApi();
    world.stack.start('worker-kpi');
    const pointer = path.join(world.env.DATA_DIR!, 'shops', '2', 'current.json');
    const good = await readFile(pointer, 'utf8');
    // Point the shop at a version whose files are missing: every read fails.
    await writeFile(pointer, JSON.stringify({ version: 999 }));
    const res = await ask(api, {
      shop_id: 2,
      question: 'How many orders did we get last month?',
      as_of: AS_OF,
    });
    expect(res.status).toBe(202);
    const { job_id } = (await res.json()) as { job_id: string };
    const [failed] = await waitForFinal(world.results, [job_id], 30_000);
    expect(failed!.status).toBe('failed');
    expect(failed!.error?.code).toBe('DATA_STORE_UNAVAILABLE');
    // Three attempts (the kpi queue's default), with time between them.
    const attempts = failed!.attempts;
    expect(attempts).toHaveLength(3);
    expect(attempts.slice(0, 2).every((a) => a.outcome === 'retrying')).toBe(true);
    expect(
      Date.parse(attempts[2]!.started_at) - Date.parse(attempts[0]!.started_at),
    ).toBeGreaterThanOrEqual(500);

    await writeFile(pointer, good);
    const again = await ask(api, {
      shop_id: 2,
      question: 'How many orders did we get last month?',
      as_of: AS_OF,
    });
    const [ok] = await waitForFinal(
      world.results,
      [((await again.json()) as { job_id: string }).job_id],
      30_000,
    );
    expect(ok!.status).toBe('succeeded');
    expect(ok!.data).toMatchObject({ value: 74 });
  });
});
