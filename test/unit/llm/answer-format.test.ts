import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/shared/errors/app-error.js';
import { formatLlmAnswer } from '../../../src/shared/llm/answer-format.js';

const query = { collection: 'order' as const, pipeline: [{ $match: { shop_id: 1 } }] };
const meta = { model: 'm', rounds: 1, asOf: '2026-11-23T09:00:00.000Z', timezone: 'UTC' };

describe('formatLlmAnswer', () => {
  it('one row with one number is a scalar', () => {
    const a = formatLlmAnswer([{ revenue: 1234.5 }], query, meta);
    expect(a.data).toEqual({ kind: 'scalar', value: 1234.5, unit: 'revenue', label: 'revenue' });
    expect(a.answer).toBe('Here is what the generated query returned: revenue = 1,234.5.');
    expect(a.query).toBe(query);
    expect(a.explanation).toMatch(
      /written by the language model \(m\).*checked by the pipeline guard/,
    );
  });

  it('refuses rows whose different keys would make a huge table', () => {
    const rows = Array.from({ length: 200 }, (_, i) => ({ [`k${i}`]: 1 }));
    expect(() => formatLlmAnswer(rows, query, meta)).toThrow(
      expect.objectContaining({ code: 'RESULT_TOO_LARGE' }),
    );
  });

  it('a null _id from $group does not stop a scalar', () => {
    expect(formatLlmAnswer([{ _id: null, n: 3 }], query, meta).data).toMatchObject({
      kind: 'scalar',
      value: 3,
    });
  });

  it('anything else is a table with the keys as columns, in first-seen order', () => {
    const a = formatLlmAnswer(
      [
        { country: 'DE', revenue: 10 },
        { country: 'FR', revenue: 5, note: { x: 1 } },
        { country: 'IT', at: new Date('2026-01-01T00:00:00Z') },
      ],
      query,
      { ...meta, rounds: 3 },
    );
    expect(a.data).toEqual({
      kind: 'table',
      columns: ['country', 'revenue', 'note', 'at'],
      rows: [
        ['DE', 10, null, null],
        ['FR', 5, '{"x":1}', null],
        ['IT', null, null, '2026-01-01T00:00:00.000Z'],
      ],
    });
    expect(a.answer).toBe(
      'Here is what the generated query returned: 3 rows (country, revenue, note, at).',
    );
    expect(a.explanation).toMatch(/3 rounds with self-correction/);
  });

  it('no rows says so', () => {
    const a = formatLlmAnswer([], query, meta);
    expect(a.answer).toBe('The generated query returned no rows.');
    expect(a.data).toEqual({ kind: 'table', columns: [], rows: [] });
  });

  it('one row with a text value is a table, not a scalar', () => {
    expect(formatLlmAnswer([{ best: 'Chai' }], query, meta).data.kind).toBe('table');
  });

  it("shows an invalid date (past JavaScript's range) as an empty cell", () => {
    const a = formatLlmAnswer(
      [
        { id: 1, d: new Date(Number.NaN) },
        { id: 2, d: new Date('2026-01-01T00:00:00Z'), nested: { at: new Date(Number.NaN) } },
      ],
      query,
      meta,
    );
    expect(a.data).toEqual({
      kind: 'table',
      columns: ['id', 'd', 'nested'],
      rows: [
        [1, null, null],
        [2, '2026-01-01T00:00:00.000Z', '{"at":null}'],
      ],
    });
  });

  it('shows functions and symbols as empty cells and nested bigints as numbers', () => {
    const a = formatLlmAnswer(
      [{ f: () => 1, s: Symbol('x'), o: { n: 10n, g: () => 1 } }],
      query,
      meta,
    );
    expect(a.data).toEqual({
      kind: 'table',
      columns: ['f', 's', 'o'],
      rows: [[null, null, '{"n":10}']],
    });
  });

  it.each([
    ['undefined', [undefined, undefined, undefined]],
    ['null', [null]],
    ['a number', [3]],
    ['an array', [[1, 2]]],
    ['a date', [new Date()]],
  ])('refuses rows of %s with QUERY_FAILED, not a TypeError', (_label, rows) => {
    let thrown: unknown;
    try {
      formatLlmAnswer(rows, query, meta);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ code: 'QUERY_FAILED', retryable: false });
  });

  it('refuses a value it cannot serialise with QUERY_FAILED', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => formatLlmAnswer([{ a: 1, loop }], query, meta)).toThrow(
      expect.objectContaining({ code: 'QUERY_FAILED' }),
    );
  });
});
