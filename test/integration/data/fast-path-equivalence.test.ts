import { beforeAll, describe, expect, it } from 'vitest';
import { compileQuery, parseQuestion } from '../../../src/shared/analytics/index.js';
import { EmbeddedStore } from '../../../src/shared/data/embedded/embedded-store.js';
import { compilePrefix } from '../../../src/shared/data/embedded/fast-path/stage-runner.js';
import { readShopDir } from '../../../src/shared/data/import/ndjson-import.js';
import { guardPipeline } from '../../../src/shared/guard/pipeline-guard.js';
import { legitCases, NORTHWIND_DIR, NORTHWIND_SHOP_ID } from '../../fixtures/guard/guard-corpus.js';

/**
 * The embedded store's fast path (plain loops for common stages) must give the
 * same rows as mingo running the whole pipeline, on every legitimate corpus
 * pipeline and every Tier 1 question below.
 */
const fast = new EmbeddedStore({});
const reference = new EmbeddedStore({ fastPath: false });

beforeAll(async () => {
  const docs = await readShopDir(NORTHWIND_DIR, NORTHWIND_SHOP_ID);
  await fast.replaceShop(NORTHWIND_SHOP_ID, docs);
  await reference.replaceShop(NORTHWIND_SHOP_ID, docs);
});

/** Rows as a comparable value: key order ignored; row order kept only when the pipeline sorts. */
function canonical(rows: Record<string, unknown>[], ordered: boolean): string[] {
  const norm = (v: unknown): unknown => {
    if (v instanceof Date) return { $date: v.toISOString() };
    if (Array.isArray(v)) return v.map(norm);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, norm((v as Record<string, unknown>)[k])]));
    }
    if (typeof v === 'number') return Math.round(v * 1e6) / 1e6;
    return v;
  };
  const out = rows.map((r) => JSON.stringify(norm(r)));
  return ordered ? out : out.sort();
}

const sorts = (pipeline: Record<string, unknown>[]) => pipeline.some((s) => '$sort' in s || '$sortByCount' in s);

describe('embedded store fast path ≡ mingo', () => {
  it.each(legitCases().map((c) => [c.name, c] as const))('corpus: %s', async (_name, c) => {
    const guarded = guardPipeline(c, NORTHWIND_SHOP_ID);
    if (!guarded.ok) throw new Error(guarded.reason);
    const [a, b] = await Promise.all([
      fast.aggregate(NORTHWIND_SHOP_ID, guarded.collection, guarded.pipeline),
      reference.aggregate(NORTHWIND_SHOP_ID, guarded.collection, guarded.pipeline),
    ]);
    // $sample is random by design; only its size can agree.
    if (guarded.pipeline.some((s) => '$sample' in s)) expect(a.length).toBe(b.length);
    else expect(canonical(a, sorts(guarded.pipeline))).toEqual(canonical(b, sorts(guarded.pipeline)));
  });

  const questions = [
    'How many orders do we have?',
    'revenue by country in 1997',
    'top 10 products by units sold last year',
    'average order value by month in 1997',
    'daily orders last week',
    'revenue by category in Q1 1998 compared to Q4 1997',
    'how many new customers did we get in 1997',
    'top 5 customers by revenue',
    'orders over $1000 in 1998',
    'revenue by channel this year',
    'weekly revenue last 8 weeks',
    'refund rate last year',
    'quarterly revenue in 1997',
    'units sold not from Germany in 1997',
    'revenue in Q1 1998 vs Q1 1997',
  ];
  it('runs every time bucket in plain loops, not in mingo', () => {
    for (const unit of ['daily', 'weekly', 'monthly', 'quarterly', 'yearly']) {
      const parsed = parseQuestion(`${unit} revenue in 1997`, {
        asOf: new Date('1998-05-06T18:00:00Z'),
        timezone: 'Europe/Berlin',
      });
      if (!parsed.ok) throw new Error(parsed.reason);
      const { pipeline } = compileQuery(parsed.query, NORTHWIND_SHOP_ID);
      expect(compilePrefix(pipeline).restFrom, unit).toBe(pipeline.length);
    }
  });

  it.each(questions)('tier 1: %s', async (question) => {
    const parsed = parseQuestion(question, { asOf: new Date('1998-05-06T18:00:00Z'), timezone: 'UTC' });
    if (!parsed.ok) throw new Error(parsed.reason);
    const { collection, pipeline } = compileQuery(parsed.query, NORTHWIND_SHOP_ID);
    const [a, b] = await Promise.all([
      fast.aggregate(NORTHWIND_SHOP_ID, collection, pipeline),
      reference.aggregate(NORTHWIND_SHOP_ID, collection, pipeline),
    ]);
    expect(canonical(a, sorts(pipeline))).toEqual(canonical(b, sorts(pipeline)));
  });
});
