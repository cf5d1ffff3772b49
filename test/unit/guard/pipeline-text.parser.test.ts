import { describe, expect, it } from 'vitest';
import { parsePipelineText, PipelineParseError } from '../../../src/shared/guard/pipeline-guard.js';

describe('parsePipelineText', () => {
  it('reads strict JSON { collection, pipeline }', () => {
    expect(parsePipelineText('{"collection":"order","pipeline":[{"$count":"n"}]}')).toEqual({
      collection: 'order',
      pipeline: [{ $count: 'n' }],
    });
  });

  it('reads a mongosh line in relaxed JSON', () => {
    const text = `db.order.aggregate([
      // orders since March
      { $match: { status: 'paid', created_at: { $gte: ISODate("2026-03-01T00:00:00Z"), $lt: new Date('2026-04-01') }, }, },
      { $group: { _id: "$country", n: { $sum: NumberInt(1) }, }, },
      /* biggest first */ { $sort: { n: -1 } },
    ]);`;
    expect(parsePipelineText(text)).toEqual({
      collection: 'order',
      pipeline: [
        {
          $match: {
            status: 'paid',
            created_at: {
              $gte: { $date: '2026-03-01T00:00:00.000Z' },
              $lt: { $date: '2026-04-01T00:00:00.000Z' },
            },
          },
        },
        { $group: { _id: '$country', n: { $sum: 1 } } },
        { $sort: { n: -1 } },
      ],
    });
  });

  it('reads db.getCollection("x") and db["x"] forms', () => {
    expect(parsePipelineText('db.getCollection("product").aggregate([])').collection).toBe(
      'product',
    );
    expect(parsePipelineText("db['customer'].aggregate([])").collection).toBe('customer');
  });

  it('keeps dotted collection names whole, for the guard to refuse', () => {
    expect(parsePipelineText('db.system.users.aggregate([])').collection).toBe('system.users');
  });

  it('decodes escapes, so escaped operator names arrive as what they are', () => {
    expect(
      parsePipelineText(`db.order.aggregate([{ "\\u0024where": 'a\\x41' }])`).pipeline,
    ).toEqual([{ $where: 'aA' }]);
  });

  it('reads relaxed JSON in the object form too', () => {
    expect(parsePipelineText("{ collection: 'order', pipeline: [{ $limit: 5, },], }")).toEqual({
      collection: 'order',
      pipeline: [{ $limit: 5 }],
    });
  });

  it('keeps a __proto__ key as data instead of re-pointing the prototype', () => {
    const parsed = parsePipelineText(
      '{ collection: "order", pipeline: [{ $match: { __proto__: { polluted: 1 } } }] }',
    );
    const match = (parsed.pipeline as Record<string, Record<string, unknown>>[])[0]!.$match!;
    expect(Object.keys(match)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads a shell regex literal as { $regex, $options }', () => {
    expect(
      parsePipelineText(
        String.raw`db.product.aggregate([{ $match: { name: /wid\/g[e/]t/i, sku: /^NW-\d+$/ } }])`,
      ).pipeline,
    ).toEqual([
      {
        $match: {
          name: { $regex: String.raw`wid\/g[e/]t`, $options: 'i' },
          sku: { $regex: String.raw`^NW-\d+$` },
        },
      },
    ]);
  });

  it('reads new Date() (now) as $$NOW', () => {
    expect(
      parsePipelineText(
        'db.order.aggregate([{ $match: { $expr: { $lt: ["$created_at", new Date()] } } }])',
      ).pipeline,
    ).toEqual([{ $match: { $expr: { $lt: ['$created_at', '$$NOW'] } } }]);
  });

  it('accepts a trailing .toArray()', () => {
    expect(parsePipelineText('db.order.aggregate([{ $count: "n" }]).toArray();')).toEqual({
      collection: 'order',
      pipeline: [{ $count: 'n' }],
    });
    expect(parsePipelineText("db.getCollection('order').aggregate([]) .toArray()").collection).toBe(
      'order',
    );
  });

  it.each([
    ['a function call', 'db.order.aggregate([{ $match: { a: eval("1") } }])'],
    [
      'a function literal',
      'db.order.aggregate([{ $match: { $where: function () { return 1 } } }])',
    ],
    ['a second statement', 'db.order.aggregate([]); db.dropDatabase()'],
    ['aggregate options', 'db.order.aggregate([], { allowDiskUse: true })'],
    ['another method', 'db.order.find({})'],
    ['an unterminated string', '{ "collection": "order", "pipeline": [" ] }'],
    ['a bad date', 'db.order.aggregate([{ $match: { d: ISODate("tomorrow") } }])'],
    ['Infinity', 'db.order.aggregate([{ $limit: Infinity }])'],
    ['a duplicate key', '{ "collection": "order", "collection": "x", "pipeline": [] }'],
    ['a missing pipeline', '{ "collection": "order" }'],
    ['a bare array', '[{ "$match": {} }]'],
    [
      'absurd nesting',
      `{ "collection": "order", "pipeline": ${'['.repeat(500)}${']'.repeat(500)} }`,
    ],
    ['empty text', '   '],
    ['another cursor method', 'db.order.aggregate([]).forEach(printjson)'],
    ['toArray with an argument', 'db.order.aggregate([]).toArray(1)'],
    ['an unterminated regex', 'db.order.aggregate([{ $match: { a: /abc } }])'],
    ['a regex across lines', 'db.order.aggregate([{ $match: { a: /ab\nc/ } }])'],
  ])('refuses %s with a PipelineParseError', (_label, text) => {
    expect(() => parsePipelineText(text)).toThrow(PipelineParseError);
  });
});
