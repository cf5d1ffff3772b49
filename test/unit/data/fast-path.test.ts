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

  it('keeps an unwound document\'s fields through later stages that copy it', () => {
    const order = { id: 1, items: [{ q: 1, tags: [] }], note: null };
    for (const later of [
      { $addFields: { x: 1 } },
      { $unwind: { path: '$note', preserveNullAndEmptyArrays: true } },
    ]) {
      const { stages, restFrom } = compilePrefix([{ $unwind: '$items' }, later]);
      expect(restFrom).toBe(2);
      const out = materialize(stages.reduce((docs, stage) => stage(docs), [order] as Record<string, unknown>[]));
      expect(out[0], JSON.stringify(later)).toMatchObject({ id: 1, items: { q: 1, tags: [] } });
    }
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
    expect(compilePrefix([{ $project: { _id: 0, v: '$n' } }]).restFrom).toBe(1);
  });

  it('keeps or drops top-level fields in the document order, as MongoDB does', async () => {
    for (const project of [{ b: 1, a: 1 }, { _id: 0, n: 1, a: true }, { n: 0 }, { _id: 0 }, { a: 0, _id: 0 }]) {
      const pipeline = [{ $sort: { n: 1 } }, { $project: project }];
      const fast = await run(pipeline, true);
      expect(fast, JSON.stringify(project)).toEqual(await run(pipeline, false));
      // toEqual ignores key order; the order is part of the contract.
      expect(fast.map((r) => Object.keys(r)), JSON.stringify(project)).toEqual(
        (await run(pipeline, false)).map((r) => Object.keys(r)),
      );
    }
    // Dotted paths, mixed inclusion and exclusion, computed with included: mingo.
    for (const project of [{ 'a.b': 1 }, { a: 1, b: 0 }, { _id: 1, a: 0 }, { a: 1, v: '$n' }]) {
      expect(compilePrefix([{ $project: project }]).restFrom, JSON.stringify(project)).toBe(0);
    }
  });
});

describe('$lookup on one field as a hash join', () => {
  const customers = [
    { shop_id: 1, id: 'c1', name: 'Ada', tier: 'gold' },
    { shop_id: 1, id: 'c2', name: 'Bo', tier: 'silver' },
    { shop_id: 1, id: 7, name: 'Numeric seven' },
    { shop_id: 1, id: '7', name: 'String seven' },
    { shop_id: 2, id: 'c1', name: 'Another shop' },
  ];
  const orders: Record<string, unknown>[] = [
    { cid: 'c1', n: 1 },
    { cid: 'c2', n: 2 },
    { cid: 7, n: 3 },
    { cid: '7', n: 4 },
    { cid: 'nobody', n: 5 },
  ];
  const run = async (pipeline: Record<string, unknown>[], fastPath: boolean, rows = orders) => {
    const store = new EmbeddedStore({ fastPath });
    await store.replaceShop(1, {
      order: rows.map((d, i) => ({ ...d, shop_id: 1, created_at: new Date(Date.UTC(2026, 0, i + 1)) })) as never,
      product: [],
      customer: customers as never,
    });
    return store.aggregate(1, 'order', [{ $match: { shop_id: 1 } }, { $sort: { n: 1 } }, ...pipeline]);
  };
  const lookup = (sub: Record<string, unknown>[] = []) => ({
    $lookup: {
      from: 'customer',
      let: { cid: '$cid' },
      pipeline: [{ $match: { shop_id: 1, $expr: { $eq: ['$id', '$$cid'] } } }, ...sub],
      as: 'customer',
    },
  });

  it('joins the same documents as mingo: types kept apart, other shops never joined', async () => {
    for (const pipeline of [
      [lookup()],
      [lookup([{ $project: { _id: 0, name: 1 } }])],
      [lookup([{ $match: { tier: 'gold' } }]), { $project: { _id: 0, n: 1, customer: 1 } }],
    ]) {
      const fast = await run(pipeline, true);
      expect(fast).toEqual(await run(pipeline, false));
      expect(compilePrefix(pipeline, () => []).restFrom).toBe(pipeline.length);
    }
    const names = (await run([lookup([{ $project: { _id: 0, name: 1 } }])], true)).map((r) =>
      (r.customer as { name: string }[]).map((c) => c.name),
    );
    expect(names).toEqual([['Ada'], ['Bo'], ['Numeric seven'], ['String seven'], []]);
  });

  it('compares like MongoDB\'s $eq expression: an array id does not equal a string', async () => {
    const store = new EmbeddedStore({});
    await store.replaceShop(1, {
      order: [{ shop_id: 1, cid: 'c1', created_at: new Date() }] as never,
      product: [],
      customer: [{ shop_id: 1, id: ['c1'], name: 'array' }, customers[0]] as never,
    });
    const [row] = await store.aggregate(1, 'order', [{ $match: { shop_id: 1 } }, lookup()]);
    // mingo joins both (it treats the array like a query's $eq would).
    expect((row!.customer as { name: string }[]).map((c) => c.name)).toEqual(['Ada']);
  });

  it('hands out copies: changing an answer does not change the stored customer', async () => {
    const first = await run([lookup()], true);
    (first[0]!.customer as { name: string }[])[0]!.name = 'changed';
    const again = await run([lookup()], true);
    expect((again[0]!.customer as { name: string }[])[0]!.name).toBe('Ada');
  });

  it('joins a null key (a guest order) to explicit nulls only, and leaves a missing key to mingo, with the same answer', async () => {
    const rows = [...orders, { cid: null, n: 6 }, { n: 7 }];
    const fast = await run([lookup()], true, rows);
    expect(fast).toEqual(await run([lookup()], false, rows));
    expect(fast.find((r) => r.n === 6)?.customer).toEqual([]);
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
