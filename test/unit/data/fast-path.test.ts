import { describe, expect, it } from 'vitest';
import { compileMatch } from '../../../src/shared/data/embedded/fast-path/match-compiler.js';
import { compilePrefix, materialize } from '../../../src/shared/data/embedded/fast-path/stage-runner.js';
import { EmbeddedStore } from '../../../src/shared/data/embedded/embedded-store.js';
import { formatDate, zoneOffset } from '../../../src/shared/data/embedded/fast-path/date-parts.js';

describe('fast path $match', () => {
  const docs = [
    { id: 1, status: 'paid', tags: ['a', 'b'], at: new Date('2026-01-02T00:00:00Z'), n: 5 },
    { id: 2, status: 'cancelled', tags: [], at: new Date('2026-02-02T00:00:00Z'), n: '5' },
    { id: 3, status: null, at: new Date('2026-03-02T00:00:00Z') },
  ];
  const ids = (m: unknown) => docs.filter(compileMatch(m)!).map((d) => d.id);

  it('matches equality into arrays, as MongoDB does', () => {
    expect(ids({ tags: 'a' })).toEqual([1]);
  });
  it('treats null as null or missing', () => {
    expect(ids({ status: null })).toEqual([3]);
    expect(ids({ tags: { $exists: false } })).toEqual([3]);
  });
  it('compares only values of the same type', () => {
    expect(ids({ n: { $gte: 5 } })).toEqual([1]);
    expect(ids({ at: { $gte: new Date('2026-02-01T00:00:00Z'), $lt: new Date('2026-03-01T00:00:00Z') } })).toEqual([2]);
  });
  it('handles $nin, $or and $nor', () => {
    expect(ids({ status: { $nin: ['cancelled', null] } })).toEqual([1]);
    expect(ids({ $or: [{ id: 1 }, { id: 3 }] })).toEqual([1, 3]);
    expect(ids({ $nor: [{ id: 1 }] })).toEqual([2, 3]);
  });
  it('leaves anything outside its subset to mingo', () => {
    expect(compileMatch({ $expr: { $gt: ['$n', 1] } })).toBeNull();
    expect(compileMatch({ name: { $regex: 'x' } })).toBeNull();
  });
});

describe('fast path stages', () => {
  it('compiles the supported prefix and stops at the first stage it does not know', () => {
    const { stages, restFrom } = compilePrefix([
      { $match: { shop_id: 1 } },
      { $unwind: '$items' },
      { $group: { _id: '$items.category', v: { $sum: { $multiply: ['$items.quantity', '$items.unit_price'] } } } },
      { $lookup: { from: 'product', pipeline: [], as: 'p' } },
      { $sort: { v: -1 } },
    ]);
    expect(stages).toHaveLength(3);
    expect(restFrom).toBe(3);
  });

  it('unwinds without copying the document, and materialises plain copies', () => {
    const order = { id: 1, items: [{ q: 1 }, { q: 2 }] };
    const { stages } = compilePrefix([{ $unwind: '$items' }]);
    const out = materialize(stages[0]!([order]));
    expect(out).toEqual([
      { id: 1, items: { q: 1 } },
      { id: 1, items: { q: 2 } },
    ]);
    expect(Object.getPrototypeOf(out[0])).toBe(Object.prototype);
    expect(order.items).toHaveLength(2);
  });
});

describe('fast path $group and $project against mingo', () => {
  const docs = [
    { a: 'x|', b: 'y', n: 1 },
    { a: 'x', b: '|y', n: 2 },
    { a: 'x', b: null, n: 4 },
    { a: 'x', n: 8 },
    { a: 'x', n: 16 },
    { a: 1, b: 'y', n: 32 },
    { a: '1', b: 'y', n: 64 },
  ];
  // Both runs go through the embedded store, one with the fast path off.
  const run = async (pipeline: Record<string, unknown>[], fastPath: boolean) => {
    const store = new EmbeddedStore({ fastPath });
    await store.replaceShop(1, {
      order: docs.map((d, i) => ({ ...d, shop_id: 1, created_at: new Date(Date.UTC(2026, 0, i + 1)) })) as never,
      product: [],
      customer: [],
    });
    return store.aggregate(1, 'order', [{ $match: { shop_id: 1 } }, ...pipeline]);
  };

  it('keys a compound _id by field: no collisions across separators or types, missing ≠ null', async () => {
    const pipeline = [
      { $group: { _id: { a: '$a', b: '$b' }, n: { $sum: '$n' } } },
      { $sort: { n: 1 } },
    ];
    const fast = await run(pipeline, true);
    expect(fast).toEqual(await run(pipeline, false));
    expect(fast.map((r) => r.n)).toEqual([1, 2, 4, 24, 32, 64]);
    expect(fast[3]).toEqual({ _id: { a: 'x' }, n: 24 });
  });

  it('computes a $project of expressions, with or without _id', async () => {
    for (const project of [
      { _id: 0, key: '$_id.a', value: '$n', twice: { $multiply: ['$n', 2] } },
      { key: '$_id.b', value: '$n' },
    ]) {
      const pipeline = [{ $group: { _id: { a: '$a', b: '$b' }, n: { $sum: '$n' } } }, { $sort: { n: -1 } }, { $project: project }];
      expect(await run(pipeline, true)).toEqual(await run(pipeline, false));
    }
    expect(compilePrefix([{ $project: { a: 1 } }]).restFrom).toBe(0);
    expect(compilePrefix([{ $project: { _id: 0, v: '$n' } }]).restFrom).toBe(1);
  });
});

describe('local dates for $dateToString and date parts', () => {
  it('formats in the zone, across a DST change', () => {
    // 2026-03-29 01:30 UTC is 03:30 CEST, after Berlin's switch to summer time.
    expect(formatDate(new Date('2026-03-29T01:30:00Z'), '%Y-%m-%d %H:%M', 'Europe/Berlin')).toBe('2026-03-29 03:30');
    expect(formatDate(new Date('2026-03-29T00:30:00Z'), '%Y-%m-%d %H:%M', 'Europe/Berlin')).toBe('2026-03-29 01:30');
    expect(zoneOffset('America/New_York', Date.parse('2026-01-15T12:00:00Z'))).toBe(-5 * 3_600_000);
  });
});
