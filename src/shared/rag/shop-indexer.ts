import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { DataStore, Pipeline } from '../data/data-store.js';
import type { CollectionName } from '../data/documents.js';
import type { Embedder } from './embedder.js';
import { ANOMALY_Z } from './insight-analysis.js';
import { formatMoney } from './insight-narrative.js';
import {
  dailyCategoryRevenue,
  dailyTotals,
  lineTotalsPipeline,
  sumTotals,
  zeroTotals,
  type Totals,
} from './insight-queries.js';
// One verified seed set for every tier: Tier 2's, with EJSON dates.
import { SEED_EXAMPLES } from '../llm/seed-examples.js';
import { median, robustZScores } from './statistics.js';
import { SHARED_SHOP_ID, type VectorDoc, type VectorStore } from './vector-store.js';

export interface IndexDeps {
  store: DataStore;
  vectors: VectorStore;
  embedder: Embedder;
}

export interface IndexShopOptions {
  asOf: Date;
  timezone: string;
  currency: string;
  /** Weeks of digests, newest first; a year covers seasonality without embedding ancient history. */
  weeks?: number;
}

/**
 * Index one shop's context: a catalogue entry per product and a digest per
 * week. Ids are deterministic and each kind is replaced as a whole, so running
 * it again (after an import, or on a schedule) never duplicates.
 */
export async function indexShop(
  deps: IndexDeps,
  shopId: number,
  opts: IndexShopOptions,
): Promise<{ products: number; digests: number; ms: number }> {
  const started = performance.now();
  const [products, digests] = await Promise.all([
    productDocs(deps.store, shopId, opts),
    digestDocs(deps.store, shopId, opts),
  ]);
  const texts = [...products, ...digests].map((d) => d.text);
  const vectors = await deps.embedder.embed(texts);
  const withVec = <T extends { key: string; text: string; metadata?: VectorDoc['metadata'] }>(
    docs: T[],
    offset: number,
  ): VectorDoc[] => docs.map((d, i) => ({ ...d, embedding: vectors[offset + i]! }));
  await deps.vectors.replaceShopKind(shopId, 'product', withVec(products, 0));
  await deps.vectors.replaceShopKind(shopId, 'digest', withVec(digests, products.length));
  return {
    products: products.length,
    digests: digests.length,
    ms: Math.round(performance.now() - started),
  };
}

type TextDoc = { key: string; text: string; metadata?: VectorDoc['metadata'] };

async function productDocs(
  store: DataStore,
  shopId: number,
  opts: IndexShopOptions,
): Promise<TextDoc[]> {
  const end = opts.asOf;
  const start = DateTime.fromJSDate(end).minus({ days: 90 }).toJSDate();
  const [products, sales] = await Promise.all([
    store.aggregate(shopId, 'product', [{ $match: { shop_id: shopId } }]),
    store.aggregate(
      shopId,
      'order',
      lineTotalsPipeline(shopId, 'product', { start, end, label: '', unit: 'custom' }),
    ),
  ]);
  const byId = new Map(sales.map((s) => [String(s._id), s]));
  return products.map((raw) => {
    // Product documents as the canonical schema defines them (plain scalars).
    const p = raw as {
      id: string | number;
      name: string;
      sku?: string | null;
      category?: string | null;
      price: number;
      status: string;
      stock_quantity?: number | null;
    };
    const s = byId.get(String(p.id));
    const revenue = Number(s?.revenue ?? 0);
    const units = Number(s?.units ?? 0);
    const text =
      `Product ${String(p.name)}` +
      (p.sku ? ` (SKU ${String(p.sku)})` : '') +
      `, category ${String(p.category ?? 'uncategorised')}, price ${formatMoney(Number(p.price), opts.currency)}, ${String(p.status)}` +
      (p.stock_quantity !== null && p.stock_quantity !== undefined
        ? `, ${String(p.stock_quantity)} in stock`
        : '') +
      `. Last 90 days: ${units} units sold, ${formatMoney(revenue, opts.currency)} revenue.`;
    return {
      key: String(p.id),
      text,
      metadata: {
        product_id: String(p.id),
        category: String(p.category ?? ''),
        revenue_90d: revenue,
      },
    };
  });
}

async function digestDocs(
  store: DataStore,
  shopId: number,
  opts: IndexShopOptions,
): Promise<TextDoc[]> {
  const tz = opts.timezone;
  const weeks = opts.weeks ?? 52;
  const end = DateTime.fromJSDate(opts.asOf, { zone: tz }).startOf('week');
  // One extra week in front so the first digest has a previous week to compare with.
  const start = end.minus({ weeks: weeks + 1 });
  const [days, cats] = await Promise.all([
    dailyTotals(store, shopId, start.toJSDate(), end.toJSDate(), tz),
    dailyCategoryRevenue(store, shopId, start.toJSDate(), end.toJSDate(), tz),
  ]);
  const dayList: string[] = [];
  for (let d = start; d < end; d = d.plus({ days: 1 })) dayList.push(d.toISODate() ?? '');
  const byDay = new Map(days.map((d) => [d.day, d.totals]));
  const revZ = robustZScores(dayList.map((d) => byDay.get(d)?.revenue ?? 0));
  const ordZ = robustZScores(dayList.map((d) => byDay.get(d)?.orders ?? 0));
  const usualOrders = median(dayList.map((d) => byDay.get(d)?.orders ?? 0));
  const weekOf = (day: string): string =>
    DateTime.fromISO(day, { zone: tz }).startOf('week').toISODate() ?? day;

  const weekTotals = new Map<string, Totals>();
  for (const d of dayList) {
    const w = weekOf(d);
    weekTotals.set(w, sumTotals([weekTotals.get(w) ?? zeroTotals(), byDay.get(d) ?? zeroTotals()]));
  }
  const weekCats = new Map<string, Map<string, number>>();
  for (const c of cats) {
    const w = weekOf(c.day);
    const m = weekCats.get(w) ?? new Map<string, number>();
    m.set(c.key, (m.get(c.key) ?? 0) + c.revenue);
    weekCats.set(w, m);
  }
  const weekKeys = [...weekTotals.keys()].sort();
  const docs: TextDoc[] = [];
  weekKeys.forEach((w, i) => {
    if (i === 0) return;
    const prevW = weekKeys[i - 1]!;
    const t = weekTotals.get(w)!;
    const p = weekTotals.get(prevW)!;
    const m = (x: number): string => formatMoney(x, opts.currency);
    const pct =
      p.revenue > 0
        ? ` (${(((t.revenue - p.revenue) / p.revenue) * 100).toFixed(1)}% vs the week before)`
        : '';
    const aov = t.revenueOrders > 0 ? t.revenue / t.revenueOrders : 0;
    const cur = weekCats.get(w) ?? new Map<string, number>();
    const prev = weekCats.get(prevW) ?? new Map<string, number>();
    const moves = [...new Set([...cur.keys(), ...prev.keys()])]
      .map((k) => ({ k, d: (cur.get(k) ?? 0) - (prev.get(k) ?? 0) }))
      .sort((a, b) => Math.abs(b.d) - Math.abs(a.d))
      .slice(0, 3)
      .map((x) => `${x.k} ${x.d >= 0 ? '+' : '-'}${m(Math.abs(x.d))}`);
    const unusual = dayList
      .map((d, j) => ({ d, j }))
      .filter(
        ({ d, j }) =>
          weekOf(d) === w && (Math.abs(revZ[j]!) >= ANOMALY_Z || Math.abs(ordZ[j]!) >= ANOMALY_Z),
      )
      .map(
        ({ d }) =>
          `${d} had ${byDay.get(d)?.orders ?? 0} orders vs a usual ${Math.round(usualOrders)}`,
      );
    const weekEnd = DateTime.fromISO(w, { zone: tz }).plus({ days: 6 }).toISODate();
    const text =
      `Week ${w} to ${weekEnd}: revenue ${m(t.revenue)}${pct}, ${t.orders} orders, average order value ${m(aov)}, ${t.units} units.` +
      (moves.length ? ` Top category movers: ${moves.join(', ')}.` : '') +
      (unusual.length ? ` Unusual: ${unusual.join('; ')}.` : ' No unusual days.');
    docs.push({ key: w, text, metadata: { week: w, revenue: t.revenue, orders: t.orders } });
  });
  return docs;
}

export interface AnsweredQuestion {
  question: string;
  answer: string;
  pipeline: Pipeline;
  collection: CollectionName;
  source: 'tier1' | 'feedback';
}

/** Normalised question text, so re-asking the same question overwrites its entry. */
function questionKey(question: string): string {
  const norm = question
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[?!.]+$/g, '')
    .trim();
  return createHash('sha256').update(norm).digest('hex').slice(0, 24);
}

/** Remember an answered question with its pipeline (Tier 2 retrieves these as examples). */
export async function indexAnswer(
  deps: IndexDeps,
  shopId: number,
  a: AnsweredQuestion,
): Promise<string> {
  const [embedding] = await deps.embedder.embed([a.question]);
  const key = questionKey(a.question);
  await deps.vectors.upsert(shopId, 'answer', [
    {
      key,
      text: a.question,
      embedding: embedding!,
      metadata: {
        collection: a.collection,
        pipeline: JSON.stringify(a.pipeline),
        answer: a.answer.slice(0, 500),
        source: a.source,
      },
    },
  ]);
  return key;
}

/**
 * Take back an answer someone marked wrong: its example goes, unless the
 * question has since been indexed with another pipeline.
 */
export async function forgetAnswer(
  deps: Pick<IndexDeps, 'vectors'>,
  shopId: number,
  a: Pick<AnsweredQuestion, 'question' | 'pipeline'>,
): Promise<string> {
  const key = questionKey(a.question);
  await deps.vectors.deleteIf(shopId, 'answer', key, 'pipeline', JSON.stringify(a.pipeline));
  return key;
}

/** Put the shared seed examples in place under shop_id 0 (idempotent). */
export async function indexSeedExamples(deps: Omit<IndexDeps, 'store'>): Promise<number> {
  const vectors = await deps.embedder.embed(SEED_EXAMPLES.map((e) => e.question));
  await deps.vectors.replaceShopKind(
    SHARED_SHOP_ID,
    'example',
    SEED_EXAMPLES.map((e, i) => ({
      key: questionKey(e.question),
      text: e.question,
      embedding: vectors[i]!,
      metadata: { collection: e.collection, pipeline: JSON.stringify(e.pipeline), source: 'seed' },
    })),
  );
  return SEED_EXAMPLES.length;
}

export interface FoundExample {
  question: string;
  collection: CollectionName;
  pipeline: Pipeline;
  /** Cosine similarity, 1 = same meaning. */
  score: number;
}

/** The k closest verified question → pipeline pairs: this shop's answers plus the shared seeds. */
export async function findExamples(
  deps: Omit<IndexDeps, 'store'>,
  shopId: number,
  question: string,
  k: number,
): Promise<FoundExample[]> {
  const [embedding] = await deps.embedder.embed([question]);
  const hits = await deps.vectors.query(shopId, embedding!, {
    k,
    kinds: ['answer', 'example'],
    includeShared: true,
  });
  return hits.map((h) => ({
    question: h.text,
    collection: String(h.metadata.collection) as CollectionName,
    pipeline: JSON.parse(String(h.metadata.pipeline)) as Pipeline,
    score: 1 - h.distance,
  }));
}
