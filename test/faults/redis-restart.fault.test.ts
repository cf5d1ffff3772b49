import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ask,
  AS_OF,
  createFaultWorld,
  ON_CLUSTER,
  distinctQuestion,
  waitForFinal,
  type FaultWorld,
} from './fault-harness.js';

describe('Redis restarted mid-load (AOF always)', () => {
  let world: FaultWorld;
  beforeAll(async () => {
    world = await createFaultWorld();
  });
  afterAll(async () => world?.teardown());

  it('answers 503 quickly while Redis is down, and every accepted question afterwards', async () => {
    const api = await world.stack.startApi();
    world.stack.start('worker-kpi');
    const accepted: string[] = [];
    let asked = 0;
    // Distinct questions: a repeat would be a cache hit (200) or share a job.
    const submit = async (n: number) => {
      const res = await Promise.all(
        Array.from({ length: n }, () =>
          ask(api, { shop_id: 2, question: distinctQuestion(asked++), as_of: AS_OF }),
        ),
      );
      for (const r of res)
        if (r.status === 202) accepted.push(((await r.json()) as { job_id: string }).job_id);
      return res.map((r) => r.status);
    };
    expect(new Set(await submit(100))).toEqual(new Set([202]));

    // Down: SIGKILL, the harshest stop; AOF with fsync always keeps every acknowledged write.
    world.killRedis();
    await new Promise((r) => setTimeout(r, 300));
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      const res = await ask(api, {
        shop_id: 2,
        question: 'How many customers do we have?',
        as_of: AS_OF,
      });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
        'REDIS_UNAVAILABLE',
      );
      expect(Date.now() - started).toBeLessThan(3_000);
    }
    const poll = await fetch(`${api}/api/jobs/${accepted[0]}`, {
      signal: AbortSignal.timeout(5_000),
    });
    expect(poll.status).toBe(503);

    // Back on the same port and data dir.
    await world.restartRedis();
    // Clients reconnect on their own; accept more once the API is ready again.
    let back = false;
    for (let i = 0; i < 100 && !back; i++) {
      back = (await fetch(`${api}/health/ready`)).status === 200;
      if (!back) await new Promise((r) => setTimeout(r, 200));
    }
    expect(back).toBe(true);
    const after = await submit(50);
    if (ON_CLUSTER) {
      // A cluster client may still be re-learning slots for a moment: those
      // requests get a clean 503, never a hang or another error.
      expect(after.filter((s) => s !== 202 && s !== 503)).toEqual([]);
      expect(accepted.length).toBeGreaterThanOrEqual(140);
    } else {
      expect(accepted.length).toBe(150);
    }
    const records = await waitForFinal(world.results, accepted, 90_000);
    expect(records.filter((r) => r.status !== 'succeeded').map((r) => r.error)).toEqual([]);
  });
});
