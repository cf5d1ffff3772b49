import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ask,
  AS_OF,
  createFaultWorld,
  distinctQuestion,
  waitForFinal,
  type FaultWorld,
} from './fault-harness.js';

describe('a kpi worker SIGKILLed while 1,000 questions are in flight', () => {
  let world: FaultWorld;
  beforeAll(async () => {
    world = await createFaultWorld({ KPI_CONCURRENCY: '8' });
  });
  afterAll(async () => world?.teardown());

  it('ends with all 1,000 succeeded, each answered exactly once, none stuck', async () => {
    const api = await world.stack.startApi();
    const victim = world.stack.start('worker-kpi');
    world.stack.start('worker-kpi');
    const jobIds: string[] = [];
    let killed = false;
    for (let batch = 0; batch < 20; batch++) {
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          ask(api, {
            shop_id: 2,
            question: distinctQuestion(batch * 50 + i),
            as_of: AS_OF,
          }),
        ),
      );
      for (const res of responses) {
        expect(res.status).toBe(202);
        jobIds.push(((await res.json()) as { job_id: string }).job_id);
      }
      if (batch === 6 && !killed) {
        victim.child.kill('SIGKILL');
        killed = true;
        // A replacement comes up, as an orchestrator would start one.
        world.stack.start('worker-kpi');
      }
    }
    expect(new Set(jobIds).size).toBe(1000);
    const records = await waitForFinal(world.results, jobIds, 120_000);
    const failed = records.filter((r) => r.status !== 'succeeded');
    expect(failed.map((r) => r.error)).toEqual([]);
    for (const r of records) {
      expect(r.attempts.filter((a) => a.outcome === 'succeeded')).toHaveLength(1);
    }
    expect(victim.child.signalCode).toBe('SIGKILL');
  });
});
