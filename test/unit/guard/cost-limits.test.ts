import { describe, expect, it } from 'vitest';
import { accepted, guard, rejected } from './guard-helpers.js';

const project = (expr: unknown) => [{ $limit: 1 }, { $project: { x: expr } }];

describe('$sample', () => {
  it('refuses a size above the row cap (the embedded engine draws every one)', () => {
    expect(rejected(guard([{ $sample: { size: 1e15 } }])).path).toBe('pipeline[0].$sample.size');
    rejected(guard([{ $sample: { size: 101 } }], 'order', { maxLimit: 100 }));
    accepted(guard([{ $sample: { size: 100 } }], 'order', { maxLimit: 100 }));
  });
});

describe('$range', () => {
  it.each([
    [[0, 2e9]],
    [[9007199254740992, 9007199254741000]],
    [[0, 10_001]],
    [[-5000, 5001]],
    [[0, { $size: '$items' }]],
    [[0, '$n']],
    [[0, 10, 0]],
    [[0, 10, 0.5]],
    [[0.5, 10]],
    [[0]],
    [{ $literal: [0, 5] }],
  ])('refuses $range arguments %s', (args) => {
    rejected(guard(project({ $size: { $range: args } })));
  });

  it.each([[[0, 5]], [[0, 10_000]], [[10, 0, -2]], [[-5000, 5000, 7]]])(
    'accepts $range arguments %s',
    (args) => {
      accepted(guard(project({ $size: { $range: args } })));
    },
  );

  it('refuses a $range per element of $map, $filter or $reduce', () => {
    rejected(
      guard(project({ $map: { input: { $range: [0, 100] }, as: 'i', in: { $range: [0, 100] } } })),
    );
    rejected(
      guard(
        project({
          $filter: { input: '$items', cond: { $gt: [{ $size: { $range: [0, 9] } }, 1] } },
        }),
      ),
    );
    rejected(
      guard(
        project({
          $reduce: {
            input: '$items',
            initialValue: 0,
            in: { $let: { vars: { r: { $range: [0, 9] } }, in: 1 } },
          },
        }),
      ),
    );
    accepted(
      guard(
        project({ $map: { input: { $range: [0, 100] }, as: 'i', in: { $multiply: ['$$i', 2] } } }),
      ),
    );
  });
});

describe('$reduce growth', () => {
  it.each([
    ['array doubling', { $concatArrays: ['$$value', '$$value'] }],
    ['string doubling', { $concat: ['$$value', '$$value'] }],
    ['a $let alias', { $let: { vars: { v: '$$value' }, in: { $concatArrays: ['$$v', '$$v'] } } }],
    ['a $map copy', { $map: { input: [1, 2], as: 'k', in: '$$value' } }],
    ['a $map over it', { $map: { input: '$$value', as: 'k', in: ['$$k', '$$k'] } }],
    ['a nested $reduce input', { $reduce: { input: '$$value', initialValue: [], in: ['$$this'] } }],
    ['a $zip', { $zip: { inputs: ['$$value', '$$value.x'] } }],
    [
      'both $cond branches',
      { $cond: [true, { $concatArrays: ['$$value', '$$value'] }, '$$value'] },
    ],
    ['a $filter input', { $filter: { input: '$$value', cond: true } }],
  ])('refuses %s of $$value', (_label, inExpr) => {
    rejected(
      guard(project({ $reduce: { input: { $range: [0, 27] }, initialValue: [1], in: inExpr } })),
    );
  });

  it.each([
    ['a sum', { $add: ['$$value', '$$this'] }],
    ['a join', { $concat: ['$$value', ', ', '$$this.name'] }],
    [
      'an append under a condition',
      {
        $cond: {
          if: { $gt: ['$$this.quantity', 1] },
          then: { $concatArrays: ['$$value', ['$$this']] },
          else: '$$value',
        },
      },
    ],
    [
      'a $switch',
      {
        $switch: {
          branches: [{ case: { $eq: ['$$value', 0] }, then: '$$this.quantity' }],
          default: { $add: ['$$value', 1] },
        },
      },
    ],
    [
      'a running maximum',
      { $cond: [{ $gt: ['$$this.quantity', '$$value'] }, '$$this.quantity', '$$value'] },
    ],
    [
      'a nested $reduce with its own $$value',
      {
        $add: [
          '$$value',
          { $reduce: { input: [1, 2], initialValue: 0, in: { $add: ['$$value', '$$this'] } } },
        ],
      },
    ],
  ])('accepts %s', (_label, inExpr) => {
    accepted(guard(project({ $reduce: { input: '$items', initialValue: 0, in: inExpr } })));
  });
});

describe('$lookup cost', () => {
  const join = (from: string, as: string, pipeline: unknown[] = []) => ({
    $lookup: {
      from,
      let: { cid: '$customer_id' },
      pipeline: [{ $match: { $expr: { $eq: ['$id', '$$cid'] } } }, ...pipeline],
      as,
    },
  });

  it('refuses a sub-pipeline without a join (every document × every document)', () => {
    const r = rejected(guard([{ $lookup: { from: 'order', pipeline: [], as: 'all' } }]));
    expect(r.reason).toMatch(/needs a join/);
    rejected(
      guard([
        {
          $lookup: {
            from: 'order',
            let: { s: 'paid' },
            pipeline: [{ $match: { $expr: { $eq: ['$status', '$$s'] } } }],
            as: 'o',
          },
        },
      ]),
    );
    rejected(
      guard([
        {
          $lookup: {
            from: 'order',
            let: { c: '$customer_id' },
            pipeline: [{ $match: { $expr: { $ne: ['$customer_id', '$$c'] } } }],
            as: 'o',
          },
        },
      ]),
    );
    // The join must narrow first, not after an $unwind or a $group.
    rejected(
      guard([
        {
          $lookup: {
            from: 'order',
            let: { c: '$customer_id' },
            pipeline: [
              { $unwind: '$items' },
              { $match: { $expr: { $eq: ['$customer_id', '$$c'] } } },
            ],
            as: 'o',
          },
        },
      ]),
    );
  });

  it('refuses a join on shop_id, in either form', () => {
    rejected(
      guard([
        { $lookup: { from: 'order', localField: 'shop_id', foreignField: 'shop_id', as: 'o' } },
      ]),
    );
    rejected(
      guard([
        {
          $lookup: {
            from: 'order',
            let: { s: '$shop_id' },
            pipeline: [{ $match: { $expr: { $eq: ['$shop_id', '$$s'] } } }],
            as: 'o',
          },
        },
      ]),
    );
  });

  it('accepts the joins models write', () => {
    accepted(guard([join('customer', 'c')]));
    accepted(
      guard(
        [
          {
            $lookup: {
              from: 'order',
              let: { pid: '$id' },
              pipeline: [
                { $match: { status: 'paid' } },
                { $match: { $expr: { $in: ['$$pid', '$items.product_id'] } } },
              ],
              as: 'o',
            },
          },
        ],
        'product',
      ),
    );
    accepted(
      guard([
        {
          $lookup: {
            from: 'customer',
            let: { cid: '$customer_id' },
            pipeline: [
              {
                $match: {
                  $and: [
                    { status: { $ne: 'x' } },
                    { $expr: { $and: [{ $eq: ['$id', { $toString: '$$cid' }] }] } },
                  ],
                },
              },
            ],
            as: 'c',
          },
        },
      ]),
    );
  });

  it('allows three $lookup/$graphLookup stages, nested two deep', () => {
    const graph = {
      $graphLookup: {
        from: 'customer',
        startWith: '$customer_id',
        connectFromField: 'id',
        connectToField: 'id',
        as: 'g',
        maxDepth: 0,
      },
    };
    accepted(guard([join('customer', 'a'), join('customer', 'b'), graph]));
    rejected(guard([join('customer', 'a'), join('customer', 'b'), graph, join('customer', 'd')]));
    rejected(
      guard([{ $facet: { x: [join('customer', 'a'), join('customer', 'b')], y: [graph, graph] } }]),
    );
    accepted(guard([join('order', 'a', [join('order', 'b')])]));
    const r = rejected(guard([join('order', 'a', [join('order', 'b', [join('order', 'c')])])]));
    expect(r.reason).toMatch(/nested at most 2/);
  });
});

describe('$densify', () => {
  const densify = (spec: Record<string, unknown>) => guard([{ $densify: { field: 'd', ...spec } }]);
  const day = [{ $date: '2023-06-01T00:00:00Z' }, { $date: '2023-06-02T00:00:00Z' }];

  it('refuses partitionByFields, whose partitions multiply the documents created', () => {
    for (const bounds of ['full', 'partition', day]) {
      const r = rejected(
        densify({ partitionByFields: ['email'], range: { step: 1, unit: 'hour', bounds } }),
      );
      expect(r.reason).toMatch(/partitionByFields/);
    }
  });

  it('accepts minutes and seconds within explicit bounds, within the step cap', () => {
    accepted(densify({ range: { step: 30, unit: 'minute', bounds: day } }));
    accepted(
      densify({
        range: { step: 10, unit: 'second', bounds: [day[0], { $date: '2023-06-01T01:00:00Z' }] },
      }),
    );
    rejected(densify({ range: { step: 1, unit: 'second', bounds: day } }));
    rejected(densify({ range: { step: 30, unit: 'minute', bounds: 'full' } }));
    rejected(densify({ range: { step: 0.001, unit: 'hour', bounds: 'full' } }));
  });
});
