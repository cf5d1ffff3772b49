import { AppError } from '../errors/app-error.js';
import type { TableData, TierAnswer } from '../results/answer.js';
import type { ExecutedQuery } from '../results/answer.js';

type Cell = TableData['rows'][number][number];

/**
 * Turn the rows a generated pipeline returned into the answer shape. No
 * guessing at meaning: one row with one numeric value is a scalar, anything
 * else a table with the result's keys as columns. The sentence says what it
 * is, a generated query's result, not a checked metric.
 *
 * Throws `AppError` QUERY_FAILED (not retryable: the same query gives the same
 * rows) when a row is not a plain object; values JSON cannot hold (invalid
 * dates, functions) become empty cells.
 */
export function formatLlmAnswer(
  rows: readonly unknown[],
  query: ExecutedQuery,
  meta: { model: string; rounds: number; asOf: string; timezone: string },
): TierAnswer {
  checkRows(rows);
  const explanation =
    `The aggregation pipeline was written by the language model (${meta.model}` +
    `${meta.rounds > 1 ? `, ${meta.rounds} rounds with self-correction` : ''}) ` +
    `and checked by the pipeline guard (read-only, this shop only, row cap) before it ran; ` +
    `relative dates resolve against ${meta.asOf} (${meta.timezone}). It is not a Tier 1 metric: check the query.`;
  const scalar = asScalar(rows);
  if (scalar) {
    return {
      answer: `Here is what the generated query returned: ${scalar.label} = ${formatNumber(scalar.value)}.`,
      data: { kind: 'scalar', value: scalar.value, unit: scalar.label, label: scalar.label },
      query,
      explanation,
    };
  }
  const columns = columnsOf(rows);
  // Every row gets a cell per column, so rows with different keys multiply:
  // 1,000 one-key rows with 1,000 different keys would be a million cells.
  if (columns.length > MAX_COLUMNS)
    throw new AppError(
      'RESULT_TOO_LARGE',
      `the query returned ${columns.length} different fields; an answer table has at most ${MAX_COLUMNS}`,
    );
  const table: TableData = {
    kind: 'table',
    columns,
    rows: rows.map((r) => columns.map((c) => cell(r[c]))),
  };
  const answer =
    rows.length === 0
      ? 'The generated query returned no rows.'
      : `Here is what the generated query returned: ${rows.length} row${rows.length === 1 ? '' : 's'} (${columns.join(', ')}).`;
  return { answer, data: table, query, explanation };
}

/** Columns an answer table may have: a question's table has a handful. */
export const MAX_COLUMNS = 50;

function checkRows(rows: readonly unknown[]): asserts rows is Record<string, unknown>[] {
  rows.forEach((row, i) => {
    const proto =
      typeof row === 'object' && row !== null ? (Object.getPrototypeOf(row) as unknown) : undefined;
    if (Array.isArray(row) || (proto !== Object.prototype && proto !== null)) {
      throw new AppError(
        'QUERY_FAILED',
        `the query returned a row that is not a document (row ${i})`,
      );
    }
  });
}

function asScalar(rows: Record<string, unknown>[]): { label: string; value: number } | null {
  if (rows.length !== 1) return null;
  const entries = Object.entries(rows[0]!).filter(
    ([k, v]) => !(k === '_id' && (v === null || v === undefined)),
  );
  if (entries.length !== 1) return null;
  const [label, value] = entries[0]!;
  return typeof value === 'number' && Number.isFinite(value) ? { label, value } : null;
}

/** Keys in first-seen order across all rows (mingo sorts $project keys; MongoDB does not). */
function columnsOf(rows: Record<string, unknown>[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const k of Object.keys(row)) seen.add(k);
  return [...seen];
}

function cell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  // MongoDB dates past JavaScript's range (year 275760) arrive as Invalid Date.
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (typeof v === 'bigint') return Number(v);
  if (typeof v !== 'object') return null; // functions, symbols: not data
  try {
    return JSON.stringify(v, (_key, x: unknown) => (typeof x === 'bigint' ? Number(x) : x)) ?? null;
  } catch (err) {
    throw new AppError('QUERY_FAILED', 'the query returned a value that cannot be shown', {
      cause: err,
    });
  }
}

function formatNumber(v: number): string {
  return Number.isInteger(v)
    ? v.toLocaleString('en-US')
    : v.toLocaleString('en-US', { maximumFractionDigits: 2 });
}
