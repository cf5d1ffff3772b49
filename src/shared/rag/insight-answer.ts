import type { DataStore } from '../data/data-store.js';
import type { TableData, TierAnswer } from '../results/answer.js';
import type { Driver } from './decomposition.js';
import type { Embedder } from './embedder.js';
import {
  analyzeAnomalies,
  analyzeChange,
  analyzeTopMovers,
  analyzeTrends,
  type TrendFit,
} from './insight-analysis.js';
import { classifyInsight, type InsightRequestShape } from './insight-classifier.js';
import {
  buildNarrativePrompt,
  checkNarrativeNumbers,
  deterministicNarrative,
  type ContextSnippet,
  type InsightFacts,
} from './insight-narrative.js';
import { resolveInsightPeriods, resolveTrendWindow } from './insight-period.resolver.js';
import { orderTotalsPipeline } from './insight-queries.js';
import type { VectorStore } from './vector-store.js';

export interface InsightDeps {
  store: DataStore;
  vectors?: VectorStore | null;
  embedder?: Embedder | null;
  /** LLM phrasing of the facts; null (or a text that fails the number check) falls back to the deterministic narrative. */
  narrate?: ((facts: InsightFacts, prompt: string) => Promise<string | null>) | null;
}

export interface InsightRequest {
  shopId: number;
  question: string;
  asOf: Date;
  timezone: string;
  currency: string;
}

const CONTEXT_K = 5;

/**
 * Tier 3: answer a why / trend / what-stands-out question with facts computed
 * from the data, shop context from Chroma when it is there, and a narrative
 * whose every number comes from those facts.
 */
export async function answerInsight(deps: InsightDeps, req: InsightRequest): Promise<TierAnswer> {
  const started = performance.now();
  const shape = classifyInsight(req.question);
  const periods = resolveInsightPeriods(req.question, req.asOf, req.timezone);
  const iso = (d: Date): string => d.toISOString();
  const facts: InsightFacts = {
    intent: shape.intent,
    metric: shape.metric,
    currency: req.currency,
    period: {
      label: periods.current.label,
      start: iso(periods.current.start),
      end: iso(periods.current.end),
    },
    comparison: {
      label: periods.previous.label,
      start: iso(periods.previous.start),
      end: iso(periods.previous.end),
    },
  };

  const [context, data] = await Promise.all([
    retrieveContext(deps, req),
    computeFacts(deps.store, req, shape, periods, facts),
  ]);

  let answer = deterministicNarrative(facts);
  let narratedBy: 'llm' | 'deterministic' = 'deterministic';
  let rejected: string[] | null = null;
  if (deps.narrate) {
    const text = await deps.narrate(facts, buildNarrativePrompt(facts, context));
    if (text) {
      const check = checkNarrativeNumbers(text, facts);
      if (check.ok) {
        answer = text.trim();
        narratedBy = 'llm';
      } else rejected = check.unknown;
    }
  }

  return {
    answer,
    data,
    query: {
      collection: 'order',
      pipeline: orderTotalsPipeline(req.shopId, 'country', periods.current),
    },
    explanation: explain(shape, facts, req.timezone),
    meta: {
      insight: shape,
      facts,
      narrated_by: narratedBy,
      ...(rejected ? { narrative_rejected_numbers: rejected } : {}),
      context_ids: context.map((c) => c.id),
      timings_ms: { total: Math.round(performance.now() - started) },
    },
  };
}

async function retrieveContext(deps: InsightDeps, req: InsightRequest): Promise<ContextSnippet[]> {
  if (!deps.vectors || !deps.embedder) return [];
  const [vec] = await deps.embedder.embed([req.question]);
  if (!vec) return [];
  const hits = await deps.vectors.query(req.shopId, vec, {
    k: CONTEXT_K,
    kinds: ['digest', 'product', 'answer'],
  });
  return hits.map((h) => ({ id: h.id, kind: h.kind, text: h.text }));
}

async function computeFacts(
  store: DataStore,
  req: InsightRequest,
  shape: InsightRequestShape,
  periods: ReturnType<typeof resolveInsightPeriods>,
  facts: InsightFacts,
): Promise<TableData> {
  const { shopId, timezone } = req;
  switch (shape.intent) {
    case 'why': {
      const ch = await analyzeChange(
        store,
        shopId,
        shape.metric,
        periods.previous,
        periods.current,
      );
      // A question that names a dimension wants that dimension's drivers first.
      const named = shape.dimension
        ? ch.drivers
            .filter(
              (d) =>
                d.dimension === shape.dimension &&
                Math.sign(d.contribution) === Math.sign(ch.change),
            )
            .slice(0, 3)
        : [];
      const drivers = [...named, ...ch.top.filter((d) => !named.includes(d))].slice(0, 8);
      facts.change = {
        previous: ch.previous,
        current: ch.current,
        change: ch.change,
        change_pct: ch.change_pct,
        unattributed: ch.unattributed,
        drivers,
      };
      return driverTable(drivers);
    }
    case 'unusual': {
      const { anomalies } = await analyzeAnomalies(store, shopId, periods.current, timezone);
      facts.anomalies = anomalies.slice(0, 10);
      facts.comparison = null;
      return {
        kind: 'table',
        columns: [
          'date',
          'metric',
          'value',
          'usual',
          'excess',
          'excess_pct',
          'robust_z',
          'top_product',
        ],
        rows: facts.anomalies.map((a) => [
          a.date,
          a.metric,
          r2(a.value),
          r2(a.usual),
          r2(a.excess),
          r1(a.excess_pct),
          r1(a.z),
          a.drivers[0]?.label ?? null,
        ]),
      };
    }
    case 'trend': {
      const window = resolveTrendWindow(req.question, req.asOf, timezone);
      const dims: ('country' | 'channel' | 'category')[] =
        shape.dimension === 'country' ||
        shape.dimension === 'channel' ||
        shape.dimension === 'category'
          ? [shape.dimension]
          : ['category', 'country', 'channel'];
      const { total, segments } = await analyzeTrends(
        store,
        shopId,
        shape.metric,
        window,
        timezone,
        dims,
      );
      const ordered = shape.direction === 'down' ? [...segments].reverse() : segments;
      const strip = ({ points: _p, ...rest }: TrendFit): Omit<TrendFit, 'points'> => rest;
      facts.period = {
        label: window.label,
        start: window.start.toISOString(),
        end: window.end.toISOString(),
      };
      facts.comparison = null;
      facts.trend = {
        window: window.label,
        total: strip(total),
        segments: ordered.slice(0, 8).map(strip),
      };
      return {
        kind: 'table',
        columns: [
          'dimension',
          'segment',
          'slope_per_week',
          'pct_per_week',
          'fitted_change_pct',
          't_stat',
          'p_value',
          'significant',
        ],
        rows: [total, ...ordered.slice(0, 10)].map((s) => [
          s.dimension,
          s.label,
          r2(s.slope),
          r1(s.slope_pct_per_week),
          r1(s.fitted_change_pct),
          r2(s.t_stat),
          Number(s.p_value.toPrecision(3)),
          s.significant,
        ]),
      };
    }
    case 'top_movers': {
      const movers = await analyzeTopMovers(store, shopId, periods.previous, periods.current);
      facts.movers = movers;
      return {
        kind: 'table',
        columns: [
          'direction',
          'dimension',
          'segment',
          'previous',
          'current',
          'change',
          'change_pct',
        ],
        rows: [
          ...movers.up.map((m) => [
            'up',
            m.dimension,
            m.label,
            r2(m.previous),
            r2(m.current),
            r2(m.change),
            r1(m.change_pct),
          ]),
          ...movers.down.map((m) => [
            'down',
            m.dimension,
            m.label,
            r2(m.previous),
            r2(m.current),
            r2(m.change),
            r1(m.change_pct),
          ]),
        ],
        unit: req.currency,
      };
    }
  }
}

function driverTable(drivers: Driver[]): TableData {
  return {
    kind: 'table',
    columns: [
      'dimension',
      'segment',
      'previous',
      'current',
      'contribution',
      'change_pct',
      'share_of_change_pct',
    ],
    rows: drivers.map((d) => [
      d.dimension,
      d.label,
      r2(d.previous),
      r2(d.current),
      r2(d.contribution),
      r1(d.change_pct),
      r1(d.share_of_change_pct),
    ]),
  };
}

const r2 = (x: number): number => Math.round(x * 100) / 100;
const r1 = (x: number | null): number | null => (x === null ? null : Math.round(x * 10) / 10);

function explain(shape: InsightRequestShape, f: InsightFacts, tz: string): string {
  switch (shape.intent) {
    case 'why':
      return `Compared ${shape.metric} in ${f.period.label} with ${f.comparison?.label ?? 'the period before'} (${tz}) and split the change by category, product, country, channel and new vs returning customers; category and product use line amounts, the rest grand_total.`;
    case 'unusual':
      return `Scored each day of ${f.period.label} against the 8 weeks before it with a robust z-score (median/MAD, |z| ≥ 3.5) on revenue and orders (${tz}).`;
    case 'trend':
      return `Fitted a least-squares line to weekly ${shape.metric} over ${f.period.label} (${tz}); a trend counts as significant at p < 0.05. Segments are ranked by growth relative to their own level.`;
    case 'top_movers':
      return `Ranked products and categories by the change in line revenue between ${f.period.label} and ${f.comparison?.label ?? 'the period before'} (${tz}).`;
  }
}
