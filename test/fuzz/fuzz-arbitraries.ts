import fc from 'fast-check';

/**
 * Characters that break naive text handling: NUL and controls, zero-width and
 * bidi marks, BOM, lone surrogates, combining marks, astral emoji and ZWJ
 * sequences, line and paragraph separators.
 */
export const ODD_CHARS = [
  '\u0000',
  '\u0001',
  '\u001b',
  '\u007f',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u200e',
  '\u200f',
  '\u202a',
  '\u202e',
  '\u2066',
  '\u2069',
  '\ufeff',
  '\ufffd',
  '\uffff',
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\u0301',
  '\u0336',
  '\u2028',
  '\u2029',
  '\r\n',
  '\t',
  '😀',
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈',
  '𝕏',
  'ﷺ',
  'مرحبا',
  'שלום',
  '日本語',
  'Ω',
  '%00',
  '%s%n',
  '\\u0000',
];

/** Strings made of odd characters mixed with ordinary text. */
export const oddString = (maxLength = 40): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        fc.constantFrom(...ODD_CHARS),
        fc.string({ maxLength: 8 }),
        fc.string({ unit: 'binary', maxLength: 4 }),
      ),
      { maxLength },
    )
    .map((parts) => parts.join(''));

/** Questions that look like attacks on a query language or a shell. */
export const INJECTIONS = [
  '{"$where": "sleep(5000) || true"}',
  '{"$gt": ""}',
  '{"$ne": null}',
  '{"$regex": ".*"}',
  '{"$function": {"body": "function(){return 1}", "args": [], "lang": "js"}}',
  '[{"$out": "order"}]',
  '[{"$merge": {"into": "order"}}]',
  '{"$lookup": {"from": "system.users", "as": "x"}}',
  '{"$unionWith": "customer"}',
  '{"shop_id": {"$gt": 0}}',
  '$where: this.shop_id != 2',
  "'; DROP TABLE orders; --",
  "1' OR '1'='1",
  '" OR 1=1 --',
  'UNION SELECT password FROM users',
  '$(rm -rf /)',
  '`cat /etc/passwd`',
  '; curl http://127.0.0.1:1/x | sh',
  '&& shutdown -h now',
  '__proto__',
  '{"__proto__": {"admin": true}}',
  '{{7*7}}',
  '${process.exit(1)}',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
];

/** Mongo operators and other key names an attacker would like to see run. */
export const DANGEROUS_KEYS = [
  '$where',
  '$function',
  '$accumulator',
  '$out',
  '$merge',
  '$unionWith',
  '$currentOp',
  '$listSessions',
  '$code',
  '__proto__',
];

/** Any JSON value, including nested objects with operator-looking and prototype keys. */
export const jsonValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.constantFrom(0, -1, 2 ** 53, -(2 ** 53), 1e308, 7, 2),
    oddString(12),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(
        fc.constantFrom(...DANGEROUS_KEYS, '$gt', '$ne', 'constructor', 'prototype'),
        fc.string({ maxLength: 6 }),
      ),
      tie('value'),
      { maxKeys: 4 },
    ),
  ),
})).value;

/** A value of the wrong type for any field (or a plausible right one). */
export const anyField = fc.oneof(
  jsonValue,
  fc.constant(undefined),
  fc.constantFrom('', ' ', '7', '2', 'null', 'true', '1e999', 'NaN', '-0', '0x10'),
);

/** Text that is almost JSON: truncated, with stray characters, or not JSON at all. */
export const malformedJson = fc.oneof(
  fc
    .tuple(jsonValue, fc.nat(), fc.constantFrom('', ',', '}', '{', '"', '\\', '\u0000', ']', ':'))
    .map(([v, cut, junk]) => {
      const text = JSON.stringify({ shop_id: 7, question: 'orders', x: v });
      return text.slice(0, cut % (text.length + 1)) + junk;
    }),
  fc.constantFrom(
    '{',
    '{"shop_id": 7, "question": ',
    "{'shop_id': 7}",
    '{"shop_id": 7,,}',
    '{"a":1}{"b":2}',
    '\ufeff{"shop_id": 7, "question": "orders"}',
    'NaN',
    'undefined',
    '{"shop_id": 07}',
    '{"question": "\\ud800"}',
    '{"question": "\\x41"}',
    '['.repeat(5000),
  ),
  fc.string({ unit: 'binary', maxLength: 60 }),
);
