import { DateTime } from 'luxon';
import { AppError } from '../errors/app-error.js';
import type { DataStore } from '../data/data-store.js';
import type { AnswerData, TierAnswer } from '../results/answer.js';
import { DIMENSIONS, METRICS } from './catalogue.js';
import {
  bucketLabel,
  capitalise,
  explain,
  filterPhrase,
  numberFormatter,
  periodPhrase,
  type FormatOptions,
} from './answer.formatter.js';
import { compileQuery } from './query.compiler.js';
import { checkQuery } from './query-rules.js';
import { isTimeDimension, type StructuredQuery, type TimeDimension } from './structured-query.js';

/** Rows a Tier 1 table may have; beyond it the store refuses (DESIGN.md result cap). */
const MAX_ROWS = 10_000;
const QUERY_TIMEOUT_MS = 10_000;

interface Row {
  key: unknown;
  value: number | null;
  previous?: number;
  label?: string;
}

const round = (v: number | null, digits = 2): number | null =>
  v === null || !Number.isFinite(v) ? null : Math.round(v * 10 ** digits) / 10 ** digits;

function changePct(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return round(((current - previous) / Math.abs(previous)) * 100, 1);
}

/** Every bucket start from the range (or the data's first to last bucket), so gaps show as 0. */
function bucketStarts(q: StructuredQuery, unit: TimeDimension, keys: string[]): string[] {
  const zone = q.timezone;
  let start: DateTime;
  let end: DateTime;
  if (q.range) {
    start = DateTime.fromISO(q.range.start, { zone }).startOf(unit);
    end = DateTime.fromISO(q.range.end, { zone });
  } else {
    const sorted = [...keys].sort();
    if (sorted.length === 0) return [];
    start = DateTime.fromISO(sorted[0]!, { zone });
    end = DateTime.fromISO(sorted[sorted.length - 1]!, { zone }).plus({ milliseconds: 1 });
  }
  const out: string[] = [];
  for (let t = start; t < end && out.length < MAX_ROWS; t = t.plus({ [`${unit}s`]: 1 }))
    out.push(t.toISODate() ?? '');
  return out;
}

function labelOf(q: StructuredQuery, row: Row): string {
  if (row.label) return row.label;
  if (row.key === null || row.key === undefined) return '(none)';
  const key = typeof row.key === 'string' ? row.key : JSON.stringify(row.key);
  if (isTimeDimension(q.groupBy)) return bucketLabel(key, q.groupBy);
  return key;
}

/**
 * Run a structured query on the store and shape the answer: scalar, table or
 * series (DESIGN.md "Answer shape"), the sentence in the shop's currency and
 * number format, and what was counted over which dates.
 */
export async function answerQuery(
  store: DataStore,
  shopId: number,
  query: StructuredQuery,
  fmt: FormatOptions,
): Promise<TierAnswer> {
  const problem = checkQuery(query);
  if (problem) throw new AppError('NOT_UNDERSTOOD', problem);
  const { collection, pipeline } = compileQuery(query, shopId);
  const rows = (await store.aggregate(shopId, collection, pipeline, {
    timeoutMs: QUERY_TIMEOUT_MS,
    maxRows: MAX_ROWS,
  })) as unknown as Row[];
  const def = METRICS[query.metric];
  const num = numberFormatter(query, fmt);
  const money = numberFormatter({ ...query, metric: 'revenue' }, fmt);
  const filters = filterPhrase(query, (v) => money(v));
  const period = periodPhrase(query.range);
  const unit = def.unit === 'money' ? fmt.currency : def.unit === 'units' ? 'units' : def.unit;
  const digits = def.unit === 'percent' ? 1 : 2;
  const meta = { structuredQuery: query };
  const executed = { collection, pipeline };
  const explanation = explain(query, filters);

  if (!query.groupBy) {
    const row = rows[0];
    // No matching documents: sums and counts are 0, averages and maxima have no value.
    const empty = [
      'average_order_value',
      'largest_order',
      'revenue_share',
      'order_share',
      'refund_rate',
      'cancellation_rate',
    ].includes(query.metric)
      ? null
      : 0;
    const value = round(row ? row.value : empty, digits);
    const data: AnswerData = { kind: 'scalar', value, unit, label: def.label };
    let answer = `${capitalise(def.label)}${filters} ${period}: ${num(value)}.`;
    if (query.compare) {
      const previous = round(row?.previous ?? (empty === null && !row ? null : 0), digits);
      const change = changePct(value, previous);
      data.comparison = {
        previous: previous ?? 0,
        change_pct: change,
        previous_label: query.compare.range.label,
      };
      const sign =
        change === null ? 'no change figure' : `${change >= 0 ? '+' : ''}${change.toFixed(1)}%`;
      answer += ` That is ${sign} on ${query.compare.range.label} (${num(previous)}).`;
    }
    return { answer, data, query: executed, explanation, meta };
  }

  const dimLabel = DIMENSIONS[query.groupBy].label;
  if (isTimeDimension(query.groupBy) && query.limit === null && query.sort.by === 'label') {
    const interval = query.groupBy;
    const byKey = new Map(rows.map((r) => [String(r.key), r.value ?? 0]));
    const starts = bucketStarts(query, interval, [...byKey.keys()]);
    const points = starts.map((s) => ({
      t: bucketLabel(s, interval),
      value: round(byKey.get(s) ?? 0, digits) ?? 0,
    }));
    if (query.sort.order === 'desc') points.reverse();
    const data: AnswerData = { kind: 'series', interval, unit, points };
    const total = points.reduce((a, p) => a + p.value, 0);
    const peak = points.reduce<(typeof points)[number] | null>(
      (a, p) => (a === null || p.value > a.value ? p : a),
      null,
    );
    const additive = ![
      'average_order_value',
      'largest_order',
      'refund_rate',
      'cancellation_rate',
    ].includes(query.metric);
    const adverb = {
      day: 'Daily',
      week: 'Weekly',
      month: 'Monthly',
      quarter: 'Quarterly',
      year: 'Yearly',
    }[interval];
    const answer =
      points.length === 0
        ? `${adverb} ${def.label}${filters} ${period}: no data.`
        : `${adverb} ${def.label}${filters} ${period}: ${points.length} ${dimLabel}${points.length === 1 ? '' : 's'}` +
          `${additive ? `, ${num(total)} in total` : ''}; highest ${peak?.t} (${num(peak?.value ?? null)}).`;
    return { answer, data, query: executed, explanation, meta };
  }

  const columns = [dimLabel, def.label];
  if (query.compare) columns.push('previous', 'change %');
  const tableRows = rows.map((r) => {
    const value = round(r.value, digits);
    const base: (string | number | null)[] = [labelOf(query, r), value];
    if (query.compare) {
      const previous = round(r.previous ?? 0, digits);
      base.push(previous, changePct(value, previous));
    }
    return base;
  });
  const data: AnswerData = { kind: 'table', columns, rows: tableRows, unit };
  const shown = tableRows
    .slice(0, 5)
    .map((r) => `${r[0]} (${num(r[1] as number | null)})`)
    .join(', ');
  const more = tableRows.length > 5 ? `, and ${tableRows.length - 5} more` : '';
  const head =
    query.limit !== null
      ? `${query.sort.order === 'asc' ? 'Bottom' : 'Top'} ${query.limit === 1 ? '' : `${query.limit} `}${dimLabel}${query.limit === 1 ? '' : 's'} by ${def.label}`
      : `${capitalise(def.label)} by ${dimLabel}`;
  const answer =
    tableRows.length === 0
      ? `${head}${filters} ${period}: no data.`
      : `${head}${filters} ${period}: ${shown}${more}.`;
  return { answer, data, query: executed, explanation, meta };
}
