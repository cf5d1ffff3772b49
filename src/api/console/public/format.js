// Number formatting by the unit the answer carries: a currency code ("USD"),
// "percent" (26.8 means 26.8%), or a count noun ("orders", "units").

const cache = new Map();
function numberFormat(options) {
  const key = JSON.stringify(options);
  if (!cache.has(key)) cache.set(key, new Intl.NumberFormat(undefined, options));
  return cache.get(key);
}

const isCurrency = (unit) => typeof unit === 'string' && /^[A-Z]{3}$/.test(unit);

/** A value with its unit, for display ("$1,204.50", "26.8%", "1,204 orders"). */
export function formatValue(value, unit, { withNoun = true } = {}) {
  if (value === null || value === undefined) return '—';
  if (typeof value !== 'number') return String(value);
  if (isCurrency(unit)) {
    try {
      return numberFormat({ style: 'currency', currency: unit }).format(value);
    } catch {
      return `${formatNumber(value)} ${unit}`;
    }
  }
  if (unit === 'percent') return `${numberFormat({ maximumFractionDigits: 1 }).format(value)}%`;
  const n = formatNumber(value);
  return withNoun && unit ? `${n} ${unit}` : n;
}

export function formatNumber(value) {
  return numberFormat({ maximumFractionDigits: 2 }).format(value);
}

/** Short axis labels: 12.5k, 1.2M. */
export function formatCompact(value, unit) {
  const compact = numberFormat({ notation: 'compact', maximumFractionDigits: 1 }).format(value);
  if (isCurrency(unit)) {
    try {
      return numberFormat({
        style: 'currency',
        currency: unit,
        notation: 'compact',
        maximumFractionDigits: 1,
      }).format(value);
    } catch {
      return compact;
    }
  }
  return unit === 'percent' ? `${compact}%` : compact;
}

export function formatChange(pct) {
  if (pct === null || pct === undefined) return 'n/a';
  const sign = pct > 0 ? '+' : pct < 0 ? '−' : '±';
  return `${sign}${numberFormat({ maximumFractionDigits: 1 }).format(Math.abs(pct))}%`;
}

export function formatTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const sameDay = d.toDateString() === new Date().toDateString();
  return sameDay
    ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

export const TIER_LABELS = {
  kpi: 'Tier 1 · analytics',
  llm: 'Tier 2 · model-written query',
  rag: 'Tier 3 · insight',
};
