import { readFileSync } from 'node:fs';
import type { DataStore } from '../../../src/shared/data/data-store.js';
import type { AnswerData } from '../../../src/shared/results/answer.js';
import {
  answerQuery,
  loadShopVocabulary,
  parseQuestion,
} from '../../../src/shared/analytics/index.js';

/** One line of an eval set (../shared/eval/*.jsonl). */
export interface EvalCase {
  id: string;
  shop_id: number;
  as_of: string;
  timezone?: string;
  question: string;
  expect:
    | { kind: 'scalar'; value: number; tol?: number; previous?: number; change_pct?: number }
    | { kind: 'table'; labels: string[]; values: number[]; ordered?: boolean; tol?: number }
    | { kind: 'series'; values: number[]; tol?: number };
}

export function readEvalSet(file: string): EvalCase[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as EvalCase);
}

const close = (a: number | null | undefined, b: number, tol: number): boolean =>
  typeof a === 'number' && Math.abs(a - b) <= Math.max(Math.abs(b) * tol, 0.005);

/** Why an answer does not match the expectation; null when it does. */
export function mismatch(data: AnswerData, expect: EvalCase['expect']): string | null {
  const tol = expect.tol ?? 0.005;
  if (data.kind !== expect.kind) return `kind ${data.kind}, expected ${expect.kind}`;
  if (expect.kind === 'scalar' && data.kind === 'scalar') {
    if (!close(data.value, expect.value, tol))
      return `value ${data.value}, expected ${expect.value}`;
    if (expect.previous !== undefined && !close(data.comparison?.previous, expect.previous, tol))
      return `previous ${data.comparison?.previous}, expected ${expect.previous}`;
    if (
      expect.change_pct !== undefined &&
      !(Math.abs((data.comparison?.change_pct ?? NaN) - expect.change_pct) <= 0.15)
    )
      return `change ${data.comparison?.change_pct}, expected ${expect.change_pct}`;
    return null;
  }
  if (expect.kind === 'table' && data.kind === 'table') {
    const got = data.rows.map((r) => [String(r[0]), r[1] as number] as const);
    if (got.length !== expect.labels.length)
      return `${got.length} rows, expected ${expect.labels.length}`;
    const want = expect.labels.map((l, i) => [l, expect.values[i]!] as const);
    const order = (xs: readonly (readonly [string, number])[]) =>
      expect.ordered === false ? [...xs].sort((a, b) => a[0].localeCompare(b[0])) : xs;
    const g = order(got);
    const w = order(want);
    for (let i = 0; i < w.length; i++) {
      if (g[i]![0] !== w[i]![0] || !close(g[i]![1], w[i]![1], tol))
        return `row ${i}: ${g[i]!.join(' ')} expected ${w[i]!.join(' ')}`;
    }
    return null;
  }
  if (expect.kind === 'series' && data.kind === 'series') {
    const vals = data.points.map((p) => p.value);
    if (vals.length !== expect.values.length)
      return `${vals.length} points, expected ${expect.values.length}`;
    const bad = expect.values.findIndex((v, i) => !close(vals[i], v, tol));
    return bad >= 0 ? `point ${bad}: ${vals[bad]}, expected ${expect.values[bad]}` : null;
  }
  return 'unexpected shape';
}

/** Parse → answer on the store for each case, as the kpi worker does. */
export async function runEvalCases(
  store: DataStore,
  cases: EvalCase[],
  currency = 'USD',
): Promise<{ c: EvalCase; error: string | null }[]> {
  const vocabs = new Map<number, Awaited<ReturnType<typeof loadShopVocabulary>>>();
  const out: { c: EvalCase; error: string | null }[] = [];
  for (const c of cases) {
    if (!vocabs.has(c.shop_id)) vocabs.set(c.shop_id, await loadShopVocabulary(store, c.shop_id));
    const timezone = c.timezone ?? 'UTC';
    const parsed = parseQuestion(c.question, {
      asOf: new Date(c.as_of),
      timezone,
      vocabulary: vocabs.get(c.shop_id),
    });
    if (!parsed.ok) {
      out.push({ c, error: `not understood: ${parsed.reason}` });
      continue;
    }
    const answer = await answerQuery(store, c.shop_id, parsed.query, { currency, timezone });
    out.push({ c, error: mismatch(answer.data, c.expect) });
  }
  return out;
}
