import { describe, expect, it } from 'vitest';
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
});
