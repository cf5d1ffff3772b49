import { describe, expect, it } from 'vitest';
import { compareAnswer, evalCaseSchema } from '../../../src/cli/eval/eval-case.js';

const scalar = evalCaseSchema.parse({
  question: 'q',
  shop_id: 2,
  expect: { kind: 'scalar', value: 100, tol: 0.005, previous: 80, change_pct: 25 },
}).expect;
const table = evalCaseSchema.parse({
  question: 'q',
  shop_id: 2,
  expect: { kind: 'table', labels: ['a', 'b'], values: [10, 5], ordered: true },
}).expect;

describe('eval comparison', () => {
  it('passes a scalar within 0.5% with its comparison', () => {
    expect(
      compareAnswer(
        { kind: 'scalar', value: 100.4, comparison: { previous: 80, change_pct: 25.1 } },
        scalar,
      ),
    ).toBeNull();
  });
  it('fails a scalar off by more than the tolerance, or with a wrong comparison', () => {
    expect(
      compareAnswer(
        { kind: 'scalar', value: 101, comparison: { previous: 80, change_pct: 25 } },
        scalar,
      ),
    ).toMatch(/value/);
    expect(
      compareAnswer(
        { kind: 'scalar', value: 100, comparison: { previous: 70, change_pct: 25 } },
        scalar,
      ),
    ).toMatch(/previous/);
    expect(compareAnswer({ kind: 'scalar', value: 100 }, scalar)).toMatch(/previous/);
  });
  it('checks table order when ordered', () => {
    expect(
      compareAnswer(
        {
          kind: 'table',
          rows: [
            ['a', 10],
            ['b', 5],
          ],
        },
        table,
      ),
    ).toBeNull();
    expect(
      compareAnswer(
        {
          kind: 'table',
          rows: [
            ['b', 5],
            ['a', 10],
          ],
        },
        table,
      ),
    ).toMatch(/row 1/);
  });
  it('fails on the wrong kind', () => {
    expect(compareAnswer({ kind: 'table', rows: [] }, scalar)).toMatch(/expected a scalar/);
  });
  it('compares series point by point', () => {
    const series = evalCaseSchema.parse({
      question: 'q',
      shop_id: 2,
      expect: { kind: 'series', values: [1, 0] },
    }).expect;
    expect(
      compareAnswer(
        {
          kind: 'series',
          points: [
            { t: 'x', value: 1 },
            { t: 'y', value: 0 },
          ],
        },
        series,
      ),
    ).toBeNull();
    expect(compareAnswer({ kind: 'series', points: [{ t: 'x', value: 1 }] }, series)).toMatch(
      /points/,
    );
  });
});
