import { readFileSync } from 'node:fs';
import { compareAnswer, evalCaseSchema, type EvalCase } from '../../../src/cli/eval/eval-case.js';
import type { DataStore } from '../../../src/shared/data/data-store.js';
import {
  answerQuery,
  loadShopVocabulary,
  parseQuestion,
} from '../../../src/shared/analytics/index.js';

export function readEvalSet(file: string): EvalCase[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => evalCaseSchema.parse(JSON.parse(l)));
}

/**
 * Parse → answer on the store for each case, as the kpi worker does, judged by
 * the same comparison as `npm run eval` (src/cli/eval/eval-case.ts).
 */
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
      asOf: new Date(c.as_of ?? Date.now()),
      timezone,
      shopId: c.shop_id,
      vocabulary: vocabs.get(c.shop_id),
    });
    if (!parsed.ok) {
      out.push({ c, error: `not understood: ${parsed.reason}` });
      continue;
    }
    const answer = await answerQuery(store, c.shop_id, parsed.query, { currency, timezone });
    out.push({ c, error: compareAnswer(answer.data, c.expect) });
  }
  return out;
}

/** "<id> <question>: <what was wrong>" for each case that failed. */
export function failures(results: { c: EvalCase; error: string | null }[]): string[] {
  return results.filter((r) => r.error).map((r) => `${r.c.id ?? ''} ${r.c.question}: ${r.error}`);
}
