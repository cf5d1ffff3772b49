import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guardPipeline } from '../../../src/shared/guard/pipeline-guard.js';

const SHOP = 5;
const FORBIDDEN = [
  '$where',
  '$function',
  '$accumulator',
  '$out',
  '$merge',
  '$unionWith',
  '$currentOp',
  '$code',
];

/** JSON-ish values whose keys are often operator names, dangerous or not. */
const key = fc.oneof(
  fc.constantFrom(
    '$match',
    '$group',
    '$project',
    '$lookup',
    '$facet',
    '$expr',
    '$or',
    '$and',
    '$sum',
    '$add',
    '$limit',
    '_id',
    'shop_id',
    'from',
    'pipeline',
    'as',
    ...FORBIDDEN,
  ),
  fc.string({ maxLength: 6 }),
);
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom('$items', '$$ROOT', 'order', 'customer', 'system.users'),
    ),
    fc.array(tie('tree'), { maxLength: 4 }),
    fc.dictionary(key, tie('tree'), { maxKeys: 3 }),
  ),
}));

function containsKey(value: unknown, names: string[]): boolean {
  if (Array.isArray(value)) return value.some((v) => containsKey(v, names));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.entries(value).some(([k, v]) => names.includes(k) || containsKey(v, names));
  }
  return false;
}

describe('guard properties', () => {
  it('never throws, and whatever it accepts is shop-scoped, capped and free of forbidden operators', () => {
    fc.assert(
      fc.property(
        fc.array(tree, { maxLength: 4 }),
        fc.constantFrom('order', 'product', 'customer'),
        (pipeline, collection) => {
          const result = guardPipeline({ collection, pipeline }, SHOP, { maxLimit: 50 });
          if (!result.ok) return;
          expect(result.pipeline[0]).toMatchObject({ $match: { shop_id: SHOP } });
          expect(result.pipeline.at(-1)!.$limit).toBeLessThanOrEqual(50);
          expect(containsKey(result.pipeline, FORBIDDEN)).toBe(false);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('accepts its own output unchanged (the rewrite is stable)', () => {
    fc.assert(
      fc.property(fc.array(tree, { maxLength: 4 }), (pipeline) => {
        const first = guardPipeline({ collection: 'order', pipeline }, SHOP);
        if (!first.ok) return;
        const second = guardPipeline({ collection: 'order', pipeline: first.pipeline }, SHOP);
        expect(second.ok).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
