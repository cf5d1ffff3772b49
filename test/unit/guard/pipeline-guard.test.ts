import { describe, expect, it } from 'vitest';
import { FORBIDDEN_OPERATOR_REASONS } from '../../../src/shared/guard/operator-allowlist.js';
import { guardPipeline } from '../../../src/shared/guard/pipeline-guard.js';
import { accepted, guard, rejected, SHOP } from './guard-helpers.js';

describe('input shape', () => {
  it.each([null, undefined, 42, 'db.order.aggregate([])', [], { pipeline: [] }])(
    'rejects %j as input',
    (input) => {
      rejected(guardPipeline(input, SHOP));
    },
  );

  it.each(['orders', 'system.users', '', 'Order', null])('rejects collection %j', (collection) => {
    expect(rejected(guard([], collection)).path).toBe('collection');
  });

  it('rejects a pipeline that is not an array', () => {
    rejected(guard({ $match: {} }));
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects shop id %s instead of scoping to it', (shopId) => {
    rejected(guardPipeline({ collection: 'order', pipeline: [] }, shopId));
  });

  it('never throws, even on values JSON cannot hold', () => {
    const weird = [
      () => 1,
      Symbol('x'),
      10n,
      new Map(),
      /re/,
      Object.create({ inherited: 1 }),
      new Date('nope'),
    ];
    for (const value of weird) {
      expect(() => guard([{ $match: { a: value } }])).not.toThrow();
      expect(guard([{ $match: { a: value } }]).ok).toBe(false);
    }
  });

  it('refuses objects with a __proto__ own key (as JSON.parse makes them)', () => {
    const r = rejected(guard(JSON.parse('[{"$match":{"__proto__":{"x":1}}}]')));
    expect(r.reason).toMatch(/prototype/);
  });
});

describe('shop scoping', () => {
  it('prepends the shop $match when the pipeline does not start with $match', () => {
    const p = accepted(guard([{ $count: 'n' }]));
    expect(p).toEqual([{ $match: { shop_id: SHOP } }, { $count: 'n' }, { $limit: 1000 }]);
  });

  it('forces the shop $match even on an empty pipeline', () => {
    expect(accepted(guard([]))).toEqual([{ $match: { shop_id: SHOP } }, { $limit: 1000 }]);
  });

  it('merges into a leading $match so date bounds stay in the first stage', () => {
    const p = accepted(
      guard([
        { $match: { status: 'paid', created_at: { $gte: { $date: '2026-01-01T00:00:00Z' } } } },
      ]),
    );
    expect(p[0]).toEqual({
      $match: {
        shop_id: SHOP,
        status: 'paid',
        created_at: { $gte: new Date('2026-01-01T00:00:00Z') },
      },
    });
    expect(Object.keys(p[0]!.$match as object)[0]).toBe('shop_id');
  });

  it('accepts the model naming its own shop', () => {
    expect(accepted(guard([{ $match: { shop_id: SHOP } }]))[0]).toEqual({
      $match: { shop_id: SHOP },
    });
    expect(accepted(guard([{ $match: { shop_id: { $eq: SHOP } } }]))[0]).toEqual({
      $match: { shop_id: SHOP },
    });
    accepted(guard([{ $match: { $and: [{ shop_id: SHOP }, { status: 'paid' }] } }]));
    accepted(guard([{ $match: { $expr: { $eq: ['$shop_id', SHOP] } } }]));
  });

  it.each([
    [{ shop_id: 8 }],
    [{ shop_id: { $in: [SHOP, 8] } }],
    [{ shop_id: { $ne: SHOP } }],
    [{ shop_id: String(SHOP) }],
    [{ $or: [{ shop_id: SHOP }, { status: 'paid' }] }],
    [{ $nor: [{ shop_id: 8 }] }],
    [{ $expr: { $eq: ['$shop_id', 8] } }],
    [{ $expr: { $gte: ['$shop_id', 0] } }],
  ])('rejects a $match reading another shop: %j', (match) => {
    const r = rejected(guard([{ $match: match }]));
    expect(r.reason).toMatch(/shop/);
  });

  it('accepts shop_id equal to this shop in every $or branch, and $in: [this shop]', () => {
    accepted(
      guard([
        {
          $match: {
            $or: [
              { shop_id: SHOP, status: 'paid' },
              { shop_id: { $in: [SHOP] }, status: 'shipped' },
            ],
          },
        },
      ]),
    );
    expect(accepted(guard([{ $match: { shop_id: { $in: [SHOP] } } }]))[0]).toEqual({
      $match: { shop_id: SHOP },
    });
    expect(
      rejected(guard([{ $match: { $or: [{ shop_id: SHOP }, { shop_id: 8 }] } }])).reason,
    ).toMatch(/another shop/);
  });

  it('accepts a $lookup comparing shop_id with a variable bound to the local shop_id', () => {
    const lookup = (let_: Record<string, unknown>, eq: unknown[]) =>
      guard([
        {
          $lookup: {
            from: 'customer',
            let: { cid: '$customer_id', ...let_ },
            pipeline: [{ $match: { $expr: { $and: [{ $eq: eq }, { $eq: ['$id', '$$cid'] }] } } }],
            as: 'customer',
          },
        },
      ]);
    accepted(lookup({ sid: '$shop_id' }, ['$shop_id', '$$sid']));
    accepted(lookup({ sid: '$$ROOT.shop_id' }, ['$$sid', '$shop_id']));
    expect(rejected(lookup({ sid: 8 }, ['$shop_id', '$$sid'])).reason).toMatch(/another shop/);
    rejected(lookup({ sid: '$shop_id' }, ['$shop_id', '$$cid']));
    // A variable of the same name bound to something else inside does not count.
    rejected(
      guard([
        {
          $lookup: {
            from: 'order',
            let: { sid: '$shop_id', cid: '$customer_id' },
            pipeline: [
              { $match: { $expr: { $eq: ['$customer_id', '$$cid'] } } },
              {
                $lookup: {
                  from: 'customer',
                  let: { sid: '$customer_id' },
                  pipeline: [
                    {
                      $match: {
                        $expr: {
                          $and: [{ $eq: ['$shop_id', '$$sid'] }, { $eq: ['$id', '$$sid'] }],
                        },
                      },
                    },
                  ],
                  as: 'c',
                },
              },
            ],
            as: 'o',
          },
        },
      ]),
    );
  });

  it('rejects another shop in a later stage too', () => {
    rejected(guard([{ $sort: { id: 1 } }, { $match: { shop_id: 8 } }]));
  });

  it('rewrites a localField/foreignField $lookup into a shop-scoped sub-pipeline', () => {
    const p = accepted(
      guard([
        { $lookup: { from: 'customer', localField: 'customer_id', foreignField: 'id', as: 'c' } },
      ]),
    );
    const lookup = p[1]!.$lookup as Record<string, unknown>;
    expect(lookup).not.toHaveProperty('localField');
    expect(lookup.let).toEqual({ guard_local: '$customer_id' });
    const sub = lookup.pipeline as Record<string, Record<string, unknown>>[];
    expect(sub).toHaveLength(1);
    expect(sub[0]!.$match!.shop_id).toBe(SHOP);
    expect(JSON.stringify(sub[0]!.$match!.$expr)).toContain('"$id"');
    expect(lookup.as).toBe('c');
  });

  it('puts the shop $match first in a pipeline $lookup, keeping its let', () => {
    const p = accepted(
      guard(
        [
          {
            $lookup: {
              from: 'order',
              let: { cid: '$id' },
              pipeline: [{ $match: { $expr: { $eq: ['$customer_id', '$$cid'] } } }],
              as: 'o',
            },
          },
        ],
        'customer',
      ),
    );
    expect(p[1]).toEqual({
      $lookup: {
        from: 'order',
        let: { cid: '$id' },
        pipeline: [{ $match: { shop_id: SHOP, $expr: { $eq: ['$customer_id', '$$cid'] } } }],
        as: 'o',
      },
    });
  });

  it('scopes nested $lookups and $lookups inside $facet', () => {
    const p = accepted(
      guard([
        {
          $facet: {
            a: [
              {
                $lookup: {
                  from: 'customer',
                  let: { cid: '$customer_id' },
                  pipeline: [
                    { $match: { $expr: { $eq: ['$id', '$$cid'] } } },
                    { $lookup: { from: 'product', localField: 'id', foreignField: 'id', as: 'p' } },
                  ],
                  as: 'c',
                },
              },
            ],
          },
        },
      ]),
    );
    const text = JSON.stringify(p);
    expect(text.match(/"shop_id":7/g)).toHaveLength(3);
  });

  it('refuses a user variable that clashes with the rewrite', () => {
    rejected(
      guard([
        {
          $lookup: {
            from: 'customer',
            localField: 'a',
            foreignField: 'b',
            let: { guard_local: 1 },
            pipeline: [],
            as: 'c',
          },
        },
      ]),
    );
  });

  it.each([
    [{ from: 'customer', localField: 'a', as: 'c' }],
    [{ from: 'customer', as: 'c' }],
    [{ from: 'customer', pipeline: [], as: '$c' }],
    [{ from: 'customer', pipeline: [], as: 'c', extra: 1 }],
    [{ from: 'customer', pipeline: [], as: 'c', let: { Bad: 1 } }],
  ])('rejects a malformed $lookup %j', (lookup) => {
    rejected(guard([{ $lookup: lookup }]));
  });

  it('restricts $graphLookup to the shop', () => {
    const p = accepted(
      guard(
        [
          {
            $graphLookup: {
              from: 'product',
              startWith: '$category',
              connectFromField: 'category',
              connectToField: 'category',
              as: 'peers',
            },
          },
        ],
        'product',
      ),
    );
    expect((p[1]!.$graphLookup as Record<string, unknown>).restrictSearchWithMatch).toEqual({
      shop_id: SHOP,
    });
    const q = accepted(
      guard(
        [
          {
            $graphLookup: {
              from: 'product',
              startWith: '$id',
              connectFromField: 'id',
              connectToField: 'id',
              as: 'x',
              restrictSearchWithMatch: { status: 'active' },
            },
          },
        ],
        'product',
      ),
    );
    expect((q[1]!.$graphLookup as Record<string, unknown>).restrictSearchWithMatch).toEqual({
      shop_id: SHOP,
      status: 'active',
    });
  });

  it.each(['system.users', 'admin', 'sessions', 'orders'])(
    'rejects $lookup and $graphLookup from %s',
    (from) => {
      expect(rejected(guard([{ $lookup: { from, pipeline: [], as: 'x' } }])).path).toBe(
        'pipeline[0].$lookup.from',
      );
      rejected(
        guard([
          {
            $graphLookup: {
              from,
              startWith: '$a',
              connectFromField: 'a',
              connectToField: 'b',
              as: 'x',
            },
          },
        ]),
      );
    },
  );
});

describe('limits', () => {
  it('appends the cap when the pipeline does not end with $limit', () => {
    expect(accepted(guard([{ $sort: { id: 1 } }])).at(-1)).toEqual({ $limit: 1000 });
  });

  it('keeps a smaller final $limit and adds nothing', () => {
    const p = accepted(guard([{ $limit: 5 }]));
    expect(p).toEqual([{ $match: { shop_id: SHOP } }, { $limit: 5 }]);
  });

  it('lowers larger $limits to maxLimit, wherever they are', () => {
    const p = accepted(
      guard([{ $limit: 50_000 }, { $facet: { a: [{ $limit: 9999 }] } }], 'order', {
        maxLimit: 100,
      }),
    );
    expect(p[1]).toEqual({ $limit: 100 });
    expect(p[2]).toEqual({ $facet: { a: [{ $limit: 100 }] } });
    expect(p.at(-1)).toEqual({ $limit: 100 });
  });

  it('caps every $facet branch (their rows are output rows) but not $lookup sub-pipelines', () => {
    const join = { $match: { $expr: { $eq: ['$id', '$$cid'] } } };
    const p = accepted(
      guard([
        { $facet: { a: [{ $sort: { id: 1 } }] } },
        { $lookup: { from: 'customer', let: { cid: '$customer_id' }, pipeline: [join], as: 'c' } },
      ]),
    );
    expect(p[1]).toEqual({ $facet: { a: [{ $sort: { id: 1 } }, { $limit: 1000 }] } });
    expect((p[2]!.$lookup as { pipeline: unknown[] }).pipeline).toEqual([
      { $match: { shop_id: SHOP, ...join.$match } },
    ]);
  });

  it.each([0, -1, 1.5, '10', 1e30, { $literal: 5 }, null])('rejects $limit %j', (limit) => {
    rejected(guard([{ $limit: limit }]));
  });

  it.each([-1, 0.5, '3'])('rejects $skip %j', (skip) => {
    rejected(guard([{ $skip: skip }]));
  });

  it('refuses depth, size and string length beyond the limits', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { a: deep };
    expect(rejected(guard([{ $match: deep }])).reason).toMatch(/nested too deeply/);
    expect(
      rejected(guard([{ $match: { id: { $in: Array.from({ length: 6000 }, (_, i) => i) } } }]))
        .reason,
    ).toMatch(/too large/);
    expect(rejected(guard([{ $match: { a: 'x'.repeat(2001) } }])).reason).toMatch(/longer/);
    expect(guard([{ $match: { a: { b: 1 } } }], 'order', { maxDepth: 3 }).ok).toBe(false);
  });

  it('survives pathological depth without a stack overflow', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(guard([{ $match: { a: deep } }]).ok).toBe(false);
  });
});

describe('stages', () => {
  it.each([...FORBIDDEN_OPERATOR_REASONS.keys()])(
    'rejects %s as a stage, with its reason',
    (name) => {
      const r = rejected(guard([{ [name]: {} }]));
      expect(r.reason).toContain(name);
      expect(r.reason).toContain(FORBIDDEN_OPERATOR_REASONS.get(name)!);
    },
  );

  it.each(['$out', '$merge', '$unionWith', '$currentOp', '$collStats'])(
    'rejects %s at the end, inside $facet and inside $lookup',
    (name) => {
      rejected(guard([{ $match: {} }, { [name]: 'x' }]));
      rejected(guard([{ $facet: { a: [{ [name]: 'x' }] } }]));
      rejected(guard([{ $lookup: { from: 'customer', pipeline: [{ [name]: 'x' }], as: 'c' } }]));
    },
  );

  it('rejects stages that are not on the allowlist', () => {
    expect(rejected(guard([{ $internalFoo: {} }])).reason).toMatch(/unknown or unsupported stage/);
    rejected(guard([{ $setWindowFields: {}, $match: {} }]));
    rejected(guard([{}]));
    rejected(guard(['$match']));
  });

  it('rejects $facet inside $facet, as MongoDB does', () => {
    rejected(guard([{ $facet: { a: [{ $facet: { b: [] } }] } }]));
  });

  it('accepts $redact (read-only pruning) and $sample', () => {
    accepted(
      guard([
        { $redact: { $cond: [{ $eq: ['$status', 'paid'] }, '$$KEEP', '$$PRUNE'] } },
        { $sample: { size: 3 } },
      ]),
    );
  });

  it('validates stage arguments', () => {
    rejected(guard([{ $sort: { a: 2 } }]));
    rejected(guard([{ $sort: { a: { $meta: 'textScore' } } }]));
    rejected(guard([{ $count: '$n' }]));
    rejected(guard([{ $unwind: 'items' }]));
    rejected(guard([{ $unwind: { path: '$items', extra: true } }]));
    rejected(guard([{ $group: { total: { $sum: 1 } } }]));
    rejected(guard([{ $group: { _id: null, t: { $function: {} } } }]));
    rejected(guard([{ $group: { _id: null, t: { $concat: ['a'] } } }]));
    rejected(guard([{ $bucket: { groupBy: '$a', boundaries: [1] } }]));
    rejected(guard([{ $bucketAuto: { groupBy: '$a', buckets: 5000 } }]));
    rejected(guard([{ $setWindowFields: { output: { r: { $function: {} } } } }]));
    rejected(
      guard([
        { $setWindowFields: { output: { r: { $sum: 1, window: { documents: ['x', 0] } } } } },
      ]),
    );
    rejected(guard([{ $fill: { output: { a: { method: 'cubic' } } } }]));
    rejected(guard([{ $project: {} }]));
    rejected(guard([{ $unset: '$a' }]));
    rejected(
      guard([
        {
          $graphLookup: {
            from: 'customer',
            startWith: '$a',
            connectFromField: 'a',
            connectToField: 'b',
            as: 'x',
            maxDepth: 11,
          },
        },
      ]),
    );
  });

  it('bounds $densify', () => {
    const densify = (range: unknown) => guard([{ $densify: { field: 'd', range } }]);
    accepted(densify({ step: 1, unit: 'day', bounds: 'full' }));
    accepted(densify({ step: 1, bounds: [0, 100] }));
    accepted(
      densify({
        step: 1,
        unit: 'month',
        bounds: [{ $date: '2026-01-01T00:00:00Z' }, { $date: '2026-12-01T00:00:00Z' }],
      }),
    );
    rejected(densify({ step: 1, unit: 'second', bounds: 'full' }));
    rejected(densify({ step: 1, bounds: 'full' }));
    rejected(densify({ step: 0.001, bounds: [0, 1000] }));
    rejected(
      densify({
        step: 1,
        unit: 'hour',
        bounds: [{ $date: '2000-01-01T00:00:00Z' }, { $date: '2026-01-01T00:00:00Z' }],
      }),
    );
  });
});

describe('expressions and queries', () => {
  it.each([...FORBIDDEN_OPERATOR_REASONS.keys()])(
    'rejects %s anywhere inside an expression',
    (op) => {
      rejected(guard([{ $project: { x: { $add: [1, { [op]: {} }] } } }]));
      rejected(guard([{ $match: { $expr: { $and: [{ [op]: {} }] } } }]));
      rejected(guard([{ $project: { x: { $literal: { [op]: {} } } } }]));
    },
  );

  it('rejects $where in every query position', () => {
    for (const match of [
      { $where: 'true' },
      { $and: [{ $where: 'true' }] },
      { a: { $where: 'x' } },
      { items: { $elemMatch: { $where: 'x' } } },
    ]) {
      expect(rejected(guard([{ $match: match }])).reason).toMatch(/\$where/);
    }
  });

  it('rejects unknown operators, including lookalikes', () => {
    for (const op of [
      '$evil',
      '$WHERE',
      '$where ',
      '$ｗhere',
      '$func\u200Btion',
      '$setField',
      '$toHashedIndexKey',
    ]) {
      rejected(guard([{ $project: { x: { [op]: 1 } } }]));
      rejected(guard([{ $match: { [op]: 1 } }]));
    }
  });

  it('rejects operator objects with extra keys and mixed query conditions', () => {
    rejected(guard([{ $project: { x: { $add: [1, 2], y: 1 } } }]));
    rejected(guard([{ $match: { a: { $gt: 1, b: 2 } } }]));
  });

  it('treats $literal contents as data', () => {
    const p = accepted(guard([{ $project: { x: { $literal: { $unknownOp: '$not.a.path' } } } }]));
    expect(p[1]).toEqual({ $project: { x: { $literal: { $unknownOp: '$not.a.path' } } } });
  });

  it('allows only harmless system variables', () => {
    for (const v of ['$$ROOT', '$$CURRENT.items', '$$NOW', '$$REMOVE'])
      accepted(guard([{ $project: { x: v } }]));
    for (const v of ['$$USER_ROLES', '$$CLUSTER_TIME', '$$SEARCH_META', '$$JS_SCOPE', '$$', '$$1x'])
      rejected(guard([{ $project: { x: v } }]));
  });

  it('checks variable names of $let, $map and $filter', () => {
    accepted(guard([{ $project: { x: { $let: { vars: { total: 1 }, in: '$$total' } } } }]));
    rejected(guard([{ $project: { x: { $let: { vars: { ROOT: 1 }, in: 1 } } } }]));
    rejected(guard([{ $project: { x: { $map: { input: '$items', as: '$i', in: 1 } } } }]));
  });

  it('rejects malformed field paths', () => {
    rejected(guard([{ $project: { x: '$' } }]));
    rejected(guard([{ $project: { x: '$a..b' } }]));
    rejected(guard([{ $project: { x: '$a.$where' } }]));
  });

  it('rejects prototype names in keys, paths and field-name strings', () => {
    rejected(guard([{ $addFields: { constructor: 1 } }]));
    rejected(guard([{ $project: { x: '$items.__proto__' } }]));
    rejected(guard([{ $project: { x: { $getField: 'prototype' } } }]));
  });

  it('rejects strings that look like JavaScript, anywhere', () => {
    rejected(guard([{ $match: { name: 'function () { return 1 }' } }]));
    rejected(guard([{ $project: { x: { $literal: 'x => x' } } }]));
    rejected(guard([{ $match: { a: { $in: ['eval("1")'] } } }]));
  });

  it('refuses regular expressions that could backtrack for ever', () => {
    rejected(guard([{ $match: { name: { $regex: '(a+)+$' } } }]));
    rejected(guard([{ $match: { $expr: { $regexMatch: { input: '$name', regex: '(.*)*x' } } } }]));
    rejected(guard([{ $match: { name: { $regex: '[' } } }]));
    accepted(guard([{ $match: { name: { $regex: '^Chai', $options: 'i' } } }]));
  });

  it('reads canonical EJSON dates ({ $date: { $numberLong } })', () => {
    const p = accepted(
      guard([{ $match: { created_at: { $gte: { $date: { $numberLong: '1704067200000' } } } } }]),
    );
    expect((p[0]!.$match as { created_at: { $gte: unknown } }).created_at.$gte).toEqual(
      new Date('2024-01-01T00:00:00Z'),
    );
    rejected(guard([{ $match: { created_at: { $gte: { $date: { $numberLong: 'x' } } } } }]));
    rejected(guard([{ $match: { created_at: { $gte: { $date: { $numberLong: '1', $x: 1 } } } } }]));
  });

  it('accepts $$NOW in expressions and refuses it where a query would compare text', () => {
    accepted(guard([{ $match: { $expr: { $lt: ['$created_at', '$$NOW'] } } }]));
    const r = rejected(guard([{ $match: { created_at: { $lt: '$$NOW' } } }]));
    expect(r.reason).toMatch(/\$expr/);
    expect(r.path).toBe('pipeline[0].$match.created_at.$lt');
  });

  it('turns EJSON dates into Dates and refuses bad ones', () => {
    const p = accepted(
      guard([{ $match: { created_at: { $lt: { $date: '2026-11-01T00:00:00Z' } } } }]),
    );
    expect((p[0]!.$match as { created_at: { $lt: unknown } }).created_at.$lt).toEqual(
      new Date('2026-11-01T00:00:00Z'),
    );
    rejected(guard([{ $match: { created_at: { $lt: { $date: 'soon' } } } }]));
    rejected(guard([{ $match: { created_at: { $lt: { $date: '2026-11-01', $x: 1 } } } }]));
  });
});

describe('purity', () => {
  it('does not mutate its input and returns fresh objects', () => {
    const input = {
      collection: 'order',
      pipeline: [
        { $match: { status: 'paid', created_at: { $gte: { $date: '2026-01-01T00:00:00Z' } } } },
        { $lookup: { from: 'customer', localField: 'customer_id', foreignField: 'id', as: 'c' } },
        { $limit: 99_999 },
      ],
    };
    const before = structuredClone(input);
    const result = guardPipeline(input, SHOP);
    expect(result.ok).toBe(true);
    expect(input).toEqual(before);
    if (result.ok) expect(result.pipeline[1]).not.toBe(input.pipeline[1]);
  });

  it('gives the same answer twice', () => {
    const input = {
      collection: 'order',
      pipeline: [{ $group: { _id: '$country', n: { $sum: 1 } } }],
    };
    expect(guardPipeline(input, SHOP)).toEqual(guardPipeline(input, SHOP));
  });
});
