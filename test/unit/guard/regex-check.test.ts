import { describe, expect, it } from 'vitest';
import { accepted, guard as guardOn, rejected, SHOP } from './guard-helpers.js';

const guard = (pipeline: unknown) => guardOn(pipeline, 'product');

const inMatch = (regex: unknown, options?: unknown) =>
  guard([
    {
      $match: { name: { $regex: regex, ...(options === undefined ? {} : { $options: options }) } },
    },
  ]);
const inExpression = (op: string, args: Record<string, unknown>) =>
  guard([{ $project: { m: { [op]: { input: '$name', ...args } } } }]);

// Each of these hung a worker for more than 15 s on a 35-character input, or grows exponentially.
const CATASTROPHIC = [
  '^(a|a)*$',
  '(a|a)*$',
  '^((a+))+$',
  '^(a|aa)+$',
  '^(?:a?){30}a{30}$',
  '^(\\w+\\s?)*$',
  '(x+x+)+y',
  '(a+)+$',
];

describe('regular expressions are checked for catastrophic backtracking', () => {
  it.each(CATASTROPHIC)('refuses %s in $match and in every regex operator', (pattern) => {
    rejected(inMatch(pattern));
    for (const op of ['$regexMatch', '$regexFind', '$regexFindAll'])
      rejected(inExpression(op, { regex: pattern }));
  });

  it.each([
    '^Chai',
    'widget',
    'prototype',
    '^([A-Z][a-z]+ ){1}\\d+$',
    '^[A-Z]{2,5}-\\d{4}$',
    '^(Wool|Cotton) (Socks|Shirt)( \\(\\d+-Pack\\))?$',
    '\\b(blue|red|green)\\b',
  ])('accepts %s', (pattern) => {
    accepted(inMatch(pattern, 'i'));
    accepted(inExpression('$regexMatch', { regex: pattern, options: 'i' }));
  });

  it('says why, so the model can rewrite it', () => {
    expect(rejected(inMatch('^.*socks.*$')).reason).toMatch(/drop a leading or trailing \.\*/);
  });

  it('runs a match-or-not search without the .* at its ends, which match nothing more', () => {
    expect(accepted(inMatch('.*socks.*', 'i'))[0]).toMatchObject({
      $match: { name: { $regex: 'socks', $options: 'i' } },
    });
    expect(JSON.stringify(accepted(inExpression('$regexMatch', { regex: '.*socks' })))).toContain(
      '"regex":"socks"',
    );
    // $regexFind returns the matched text, which the .* is part of.
    rejected(inExpression('$regexFind', { regex: '.*socks.*' }));
    // An escaped dot is a dot.
    expect(accepted(inMatch('a\\.*'))[0]).toMatchObject({ $match: { name: { $regex: 'a\\.*' } } });
  });
});

describe('patterns and options are constants', () => {
  it.each([
    ['a $concat', { $concat: ['^(a+', ')+$'] }],
    ['a field', '$name'],
    ['a $concat of a field', { $concat: ['^(', '$currency', '|a)*$'] }],
  ])('refuses a regex computed by %s', (_label, regex) => {
    const r = rejected(inExpression('$regexMatch', { regex }));
    expect(r.reason).toMatch(/constant/);
  });

  it('checks a $literal pattern and returns it as a plain string', () => {
    rejected(inExpression('$regexMatch', { regex: { $literal: '^(a+)+$' } }));
    const p = accepted(inExpression('$regexMatch', { regex: { $literal: '^Ch' } }));
    expect(p[1]).toEqual({ $project: { m: { $regexMatch: { input: '$name', regex: '^Ch' } } } });
  });

  it('refuses computed or unknown options, and g (stateful in the embedded engine)', () => {
    rejected(inExpression('$regexMatch', { regex: 'a', options: '$opts' }));
    rejected(inExpression('$regexMatch', { regex: 'a', options: { $concat: ['i'] } }));
    rejected(inMatch('DE', 'g'));
    rejected(inMatch('DE', 'ii'));
    rejected(guard([{ $match: { name: { $options: 'i' } } }]));
    rejected(inMatch({ $concat: ['a'] }));
  });

  it('applies the x option (which the embedded engine lacks) before checking', () => {
    const p = accepted(
      inExpression('$regexMatch', { regex: 'wid get  # a comment', options: 'ix' }),
    );
    expect(p[1]).toEqual({
      $project: { m: { $regexMatch: { input: '$name', regex: 'widget', options: 'i' } } },
    });
    expect(accepted(inMatch('[ ]a b', 'x'))[0]).toEqual({
      $match: { shop_id: SHOP, name: { $regex: '[ ]ab' } },
    });
    rejected(inMatch('^(a +)+$', 'x'));
  });

  it('reads the { $regex, $options } a shell /re/flags becomes, in both positions', () => {
    const literal = { $regex: 'widget', $options: 'i' };
    expect(accepted(guard([{ $match: { name: literal } }]))[0]).toEqual({
      $match: { shop_id: SHOP, name: { $regex: 'widget', $options: 'i' } },
    });
    expect(accepted(guard([{ $match: { name: { $regex: literal } } }]))[0]).toEqual({
      $match: { shop_id: SHOP, name: { $regex: 'widget', $options: 'i' } },
    });
    expect(accepted(inExpression('$regexFind', { regex: literal }))[1]).toEqual({
      $project: { m: { $regexFind: { input: '$name', regex: 'widget', options: 'i' } } },
    });
    rejected(inExpression('$regexFind', { regex: literal, options: 'm' }));
    rejected(guard([{ $match: { name: { $regex: { $regex: '(a|a)*$' } } } }]));
  });

  it('refuses $regexFindAll patterns that can match nothing (the embedded engine loops)', () => {
    for (const regex of ['', 'a*', '(?=a)', '\\b', 'x|'])
      rejected(inExpression('$regexFindAll', { regex }));
    accepted(inExpression('$regexFindAll', { regex: '[A-Z]\\w+' }));
    accepted(inExpression('$regexFind', { regex: '' }));
  });

  it('caps the number of regular expressions in one pipeline', () => {
    const many = (n: number) =>
      guard([
        { $match: { $or: Array.from({ length: n }, (_, i) => ({ name: { $regex: `^x${i}` } })) } },
      ]);
    accepted(many(5));
    expect(rejected(many(6)).reason).toMatch(/at most 5 regular expressions/);
  });
});
