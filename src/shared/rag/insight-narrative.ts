import type { Driver } from './decomposition.js';
import type { Anomaly, InsightMetric, Mover, TrendFit } from './insight-analysis.js';
import type { InsightIntent } from './insight-classifier.js';

/** Everything the insight says, computed from the data. The LLM only phrases it. */
export interface InsightFacts {
  intent: InsightIntent;
  metric: InsightMetric;
  currency: string;
  period: { label: string; start: string; end: string };
  comparison: { label: string; start: string; end: string } | null;
  change?: {
    previous: number;
    current: number;
    change: number;
    change_pct: number | null;
    /** Shipping, tax and discounts: the part product lines do not carry. */
    unattributed: number | null;
    drivers: Driver[];
  };
  anomalies?: Anomaly[];
  trend?: { window: string; total: Omit<TrendFit, 'points'>; segments: Omit<TrendFit, 'points'>[] };
  movers?: { up: Mover[]; down: Mover[] };
}

export interface ContextSnippet {
  id: string;
  kind: string;
  text: string;
}

const METRIC_NAMES: Record<InsightMetric, string> = {
  revenue: 'Revenue',
  orders: 'Orders',
  aov: 'Average order value',
  units: 'Units sold',
};

const isMoney = (m: InsightMetric): boolean => m === 'revenue' || m === 'aov';

export function formatMoney(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency,
      maximumFractionDigits: 0,
    }).format(amount);
  } catch {
    return `${Math.round(amount).toLocaleString('en-US')} ${currency}`;
  }
}

const fmtPct = (p: number | null): string =>
  p === null ? 'n/a' : `${p > 0 ? '+' : ''}${p.toFixed(1)}%`;
const fmtCount = (n: number): string => Math.round(n).toLocaleString('en-US');

function fmt(metric: InsightMetric, v: number, currency: string): string {
  return isMoney(metric) ? formatMoney(v, currency) : fmtCount(v);
}

function signed(metric: InsightMetric, v: number, currency: string): string {
  return `${v >= 0 ? '+' : '-'}${fmt(metric, Math.abs(v), currency)}`;
}

const DIM_NAMES: Record<Driver['dimension'], string> = {
  category: 'category',
  product: 'product',
  country: 'country',
  channel: 'channel',
  customer_type: 'customer group',
};

/** The narrative written from facts alone: used without an LLM, and when its text fails the number check. */
export function deterministicNarrative(f: InsightFacts): string {
  const c = f.currency;
  const name = METRIC_NAMES[f.metric];
  const parts: string[] = [];
  if (f.intent === 'why' && f.change) {
    const ch = f.change;
    const verb = ch.change < 0 ? 'fell' : ch.change > 0 ? 'rose' : 'was flat';
    parts.push(
      `${name} ${verb} ${ch.change_pct === null ? 'n/a' : `${Math.abs(ch.change_pct).toFixed(1)}%`} in ${f.period.label}: ${fmt(f.metric, ch.current, c)} vs ${fmt(f.metric, ch.previous, c)} in ${f.comparison?.label ?? 'the period before'} (${signed(f.metric, ch.change, c)}).`,
    );
    // Name the strongest driver of each dimension once, category/product first: that is what owners act on.
    const main = ch.drivers.slice(0, 4);
    if (main.length > 0) {
      const lines = main.map(
        (d) =>
          `${d.label} (${DIM_NAMES[d.dimension]}) ${signed(f.metric, d.contribution, c)}` +
          (d.change_pct !== null && f.metric !== 'aov'
            ? `, ${fmtPct(d.change_pct)} on its own`
            : '') +
          (d.share_of_change_pct !== null
            ? `, ${d.share_of_change_pct.toFixed(0)}% of the change`
            : ''),
      );
      parts.push(`Biggest contributors: ${lines.join('; ')}.`);
    }
    if (ch.unattributed !== null && Math.abs(ch.unattributed) > Math.abs(ch.change) * 0.05) {
      parts.push(
        `${signed(f.metric, ch.unattributed, c)} of it is shipping, tax and discounts, which belong to no product.`,
      );
    }
  } else if (f.intent === 'unusual') {
    const list = f.anomalies ?? [];
    if (list.length === 0) {
      parts.push(
        `Nothing unusual in ${f.period.label}: no day's revenue or orders were far from the usual level.`,
      );
    } else {
      const seen = new Set<string>();
      for (const a of list) {
        if (seen.has(a.date) || seen.size >= 3) continue;
        seen.add(a.date);
        const m = a.metric === 'revenue' ? 'revenue' : 'orders';
        const val = a.metric === 'revenue' ? formatMoney(a.value, c) : fmtCount(a.value);
        const usual = a.metric === 'revenue' ? formatMoney(a.usual, c) : fmtCount(a.usual);
        let s = `${a.date} stands out: ${val} ${m} vs a usual ${usual} a day (${fmtPct(a.excess_pct)}).`;
        const d = a.drivers[0];
        if (d)
          s += ` Driven by ${d.label}: ${formatMoney(d.value, c)} that day vs about ${formatMoney(d.usual, c)} on an average day.`;
        parts.push(s);
      }
    }
  } else if (f.intent === 'trend' && f.trend) {
    const t = f.trend.total;
    parts.push(
      `Over ${f.trend.window}, ${name.toLowerCase()} ${t.significant ? (t.slope > 0 ? 'grew' : 'declined') : 'showed no clear trend'}: ${signed(f.metric, t.slope, c)} a week (${fmtPct(t.slope_pct_per_week)} of the weekly average, p=${t.p_value.toFixed(3)}).`,
    );
    const seg = f.trend.segments.filter((s) => s.significant).slice(0, 3);
    if (seg.length > 0) {
      parts.push(
        `Fastest ${seg[0]!.slope >= 0 ? 'growing' : 'moving'}: ` +
          seg
            .map(
              (s) =>
                `${s.label} (${DIM_NAMES[s.dimension as Driver['dimension']] ?? s.dimension}) ${fmtPct(s.slope_pct_per_week)} a week, ${fmtPct(s.fitted_change_pct)} over the window`,
            )
            .join('; ') +
          '.',
      );
    } else {
      parts.push('No segment shows a significant trend of its own.');
    }
  } else if (f.intent === 'top_movers' && f.movers) {
    const m = (x: Mover): string =>
      `${x.label} ${signed('revenue', x.change, c)} (${fmtPct(x.change_pct)})`;
    parts.push(`Top movers in ${f.period.label} vs ${f.comparison?.label ?? 'the period before'}.`);
    if (f.movers.up.length) parts.push(`Up: ${f.movers.up.slice(0, 3).map(m).join('; ')}.`);
    if (f.movers.down.length) parts.push(`Down: ${f.movers.down.slice(0, 3).map(m).join('; ')}.`);
  }
  return parts.join(' ');
}

/** Prompt for an LLM to phrase the facts; the lead's Ollama wiring sends it. */
export function buildNarrativePrompt(facts: InsightFacts, context: ContextSnippet[]): string {
  const ctx = context.length
    ? context.map((c) => `- [${c.kind} ${c.id}] ${c.text}`).join('\n')
    : '(none)';
  return [
    'You write short business insights for a shop owner.',
    'Use ONLY the numbers in FACTS; do not compute new ones and do not round differently than shown.',
    `Money is in ${facts.currency}. Percentages are already in percent (26.8 means 26.8%).`,
    'Write 2–4 sentences: what changed, the main drivers with their amounts, anything to check next.',
    'CONTEXT is background about the shop; never take numbers from it.',
    '',
    'FACTS:',
    JSON.stringify(roundFacts(facts), null, 1),
    '',
    'CONTEXT:',
    ctx,
  ].join('\n');
}

/** Two decimals are plenty in a prompt and make the number check forgiving in the right way. */
function roundFacts(v: unknown): unknown {
  if (typeof v === 'number') return Math.round(v * 100) / 100;
  if (Array.isArray(v)) return v.map(roundFacts);
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, roundFacts(x)]));
  return v;
}

function collectNumbers(v: unknown, out: number[]): void {
  if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
  else if (typeof v === 'string')
    for (const m of v.matchAll(/\d+(?:\.\d+)?/g)) out.push(Number(m[0]));
  else if (Array.isArray(v)) for (const x of v) collectNumbers(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) collectNumbers(x, out);
}

/**
 * Every number the LLM states must come from the facts (at the precision it
 * is written with, in absolute value: "fell 22%" states -22.1). Small integers
 * (counts like "3 products", "top 5") and dates' parts are allowed.
 */
export function checkNarrativeNumbers(
  text: string,
  facts: InsightFacts,
): { ok: boolean; unknown: string[] } {
  const known: number[] = [];
  collectNumbers(facts, known);
  const abs = known.map(Math.abs);
  const unknown: string[] = [];
  const tokens = text.match(/\d[\d,]*(?:\.\d+)?/g) ?? [];
  for (const tok of tokens) {
    const clean = tok.replace(/,/g, '');
    const n = Number(clean);
    if (!Number.isFinite(n)) continue;
    if (Number.isInteger(n) && n <= 12) continue;
    const decimals = clean.includes('.') ? clean.split('.')[1]!.length : 0;
    const tol = 0.5 * 10 ** -decimals + 1e-9;
    // Also accept a figure written to fewer significant digits than the fact, e.g. "78,701" for 78701.2 or "14.5k".
    const ok = abs.some(
      (k) => Math.abs(k - n) <= tol || (decimals === 0 && Math.abs(k - n) <= 0.5 + 1e-9),
    );
    if (!ok) unknown.push(tok);
  }
  return { ok: unknown.length === 0, unknown };
}
