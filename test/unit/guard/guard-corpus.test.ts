import { describe, expect, it } from 'vitest';
import {
  guardPipeline,
  parsePipelineText,
  type GuardResult,
} from '../../../src/shared/guard/pipeline-guard.js';
import { attackCases, legitCases, NORTHWIND_SHOP_ID } from '../../fixtures/guard/guard-corpus.js';

const attacks = attackCases();
const legit = legitCases();

function guardAttack(a: (typeof attacks)[number]): GuardResult | { ok: false; reason: string } {
  if (a.text === undefined)
    return guardPipeline({ collection: a.collection, pipeline: a.pipeline }, NORTHWIND_SHOP_ID);
  try {
    return guardPipeline(parsePipelineText(a.text), NORTHWIND_SHOP_ID);
  } catch (err) {
    // Text the parser refuses never reaches the engine: that is a rejection too.
    return { ok: false, reason: (err as Error).message };
  }
}

describe('attack corpus', () => {
  it('holds at least 60 attacks', () => {
    expect(attacks.length).toBeGreaterThanOrEqual(60);
  });

  it.each(attacks.map((a) => [a.name, a] as const))('rejects %s', (_name, attack) => {
    const result = guardAttack(attack);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason.length).toBeGreaterThan(0);
  });
});

describe('legitimate corpus', () => {
  it('holds at least 100 pipelines', () => {
    expect(legit.length).toBeGreaterThanOrEqual(100);
  });

  it.each(legit.map((l) => [l.name, l] as const))('accepts %s', (_name, pipeline) => {
    const result = guardPipeline(pipeline, NORTHWIND_SHOP_ID);
    expect(result).toMatchObject({ ok: true, collection: pipeline.collection });
    if (!result.ok) return;
    expect(result.pipeline[0]).toMatchObject({ $match: { shop_id: NORTHWIND_SHOP_ID } });
    expect(result.pipeline.at(-1)).toHaveProperty('$limit');
    // Guarding a guarded pipeline changes nothing: stored verified examples can be re-checked.
    expect(
      guardPipeline(
        { collection: result.collection, pipeline: result.pipeline },
        NORTHWIND_SHOP_ID,
      ),
    ).toEqual(result);
  });
});
