import { describe, expect, it } from 'vitest';
import { accepted, guard, rejected } from './guard-helpers.js';

const OBJECT_PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);

describe('$getField names a field with a constant', () => {
  it.each([
    ['a $concat', { $concat: ['__pro', 'to__'] }],
    ['a $toLower', { $toLower: '__PROTO__' }],
    ['a field path', '$name'],
    ['a variable', '$$ROOT.name'],
    ['a number', 1],
  ])('refuses a field computed by %s (the prototype-pollution probe)', (_label, field) => {
    const r = rejected(
      guard([{ $addFields: { ap: { $getField: { field, input: '$items' } } } }, { $limit: 1 }]),
    );
    expect(r.reason).toMatch(/constant/);
    expect(r.path).toBe('pipeline[0].$addFields.ap.$getField.field');
  });

  it.each([
    '__proto__',
    'constructor',
    'prototype',
    ...OBJECT_PROTOTYPE_NAMES,
    'map',
    'length',
    'toUpperCase',
    'getTime',
  ])('refuses the built-in name %s, plain, as $literal and as shorthand', (name) => {
    rejected(guard([{ $project: { f: { $getField: { field: name, input: '$items' } } } }]));
    rejected(guard([{ $project: { f: { $getField: { field: { $literal: name } } } } }]));
    rejected(guard([{ $project: { f: { $getField: name } } }]));
  });

  it('accepts constant names, also $literal for a name that starts with $', () => {
    const p = accepted(
      guard([
        {
          $project: {
            a: { $getField: 'country' },
            b: { $getField: { field: 'name', input: { $first: '$items' } } },
            c: { $getField: { field: { $literal: '$price' }, input: '$$ROOT' } },
          },
        },
      ]),
    );
    expect(p[1]).toEqual({
      $project: {
        a: { $getField: 'country' },
        b: { $getField: { field: 'name', input: { $first: '$items' } } },
        c: { $getField: { field: { $literal: '$price' }, input: '$$ROOT' } },
      },
    });
  });

  it('keeps $setField and $unsetField off the allowlist', () => {
    rejected(
      guard([{ $project: { x: { $setField: { field: 'a', input: '$$ROOT', value: 1 } } } }]),
    );
    rejected(guard([{ $project: { x: { $unsetField: { field: 'a', input: '$$ROOT' } } } }]));
  });
});

describe('prototype names in paths, field names and variables', () => {
  it.each(OBJECT_PROTOTYPE_NAMES)('refuses %s as a path segment, a key and a variable', (name) => {
    rejected(guard([{ $project: { f: `$${name}` } }]));
    rejected(guard([{ $project: { f: `$items.${name}` } }]));
    rejected(guard([{ $group: { _id: `$${name}`, n: { $sum: 1 } } }]));
    rejected(guard([{ $project: { f: `$$ROOT.${name}` } }]));
    rejected(guard([{ $set: { [name]: 1 } }]));
    rejected(guard([{ $set: { [`a.${name}`]: 1 } }]));
    rejected(guard([{ $unset: name }]));
    rejected(guard([{ $match: { [name]: { $exists: true } } }]));
    rejected(guard([{ $count: name }]));
  });

  it('refuses a path through a date to its methods', () => {
    rejected(guard([{ $project: { f: '$created_at.getTime' } }]));
  });

  it('refuses built-in names as variables and $lookup fields', () => {
    rejected(guard([{ $project: { x: { $let: { vars: { valueOf: 1 }, in: 1 } } } }]));
    rejected(
      guard([{ $project: { x: { $map: { input: '$items', as: 'toString', in: '$$toString' } } } }]),
    );
    rejected(
      guard([
        { $lookup: { from: 'customer', localField: 'constructor', foreignField: 'id', as: 'c' } },
      ]),
    );
    rejected(
      guard([
        {
          $lookup: {
            from: 'customer',
            localField: 'customer_id',
            foreignField: 'id',
            as: 'toString',
          },
        },
      ]),
    );
  });

  it('refuses $arrayToObject, whose keys are computed', () => {
    const r = rejected(
      guard([
        {
          $project: {
            o: { $arrayToObject: [[[{ $concat: ['__pro', 'to__'] }, { polluted: 1 }]]] },
          },
        },
      ]),
    );
    expect(r.reason).toMatch(/\$arrayToObject is not allowed/);
    rejected(
      guard([
        {
          $project: {
            o: { $arrayToObject: { $zip: { inputs: ['$items.sku', '$items.quantity'] } } },
          },
        },
      ]),
    );
  });

  it('keeps the operators whose names contain a prototype name', () => {
    accepted(
      guard([
        {
          $project: {
            s: { $toString: '$id' },
            d: { $dateToString: { date: '$created_at', format: '%Y' } },
          },
        },
      ]),
    );
  });
});

describe('data strings are data', () => {
  it.each([
    ['a $regex', { $match: { name: { $regex: 'prototype', $options: 'i' } } }],
    ['an $eq operand', { $match: { $expr: { $eq: ['$name', 'constructor'] } } }],
    ['$in values', { $match: { name: { $in: ['toString', '__proto__', 'hasOwnProperty'] } } }],
    [
      'a $literal and a $concat',
      { $project: { label: { $literal: 'valueOf' }, kind: { $concat: ['proto', 'type'] } } },
    ],
    ['a field called name', { $project: { n: { $getField: { field: 'name', input: '$$ROOT' } } } }],
  ])('accepts prototype names in %s', (_label, stage) => {
    accepted(guard([stage], 'product'));
  });
});

describe('strings that look like JavaScript', () => {
  it('are told apart from "function" and spaces at once (the old check took time cubic in them)', () => {
    // Twenty such strings took the old check minutes; here they pass in milliseconds.
    const slow = Array.from({ length: 20 }, (_, i) => `function${' '.repeat(1_990)}${i}`);
    accepted(guard([{ $match: { status: { $in: slow } } }]));
    rejected(guard([{ $match: { status: 'function () { return 1 }' } }]));
  });
});
