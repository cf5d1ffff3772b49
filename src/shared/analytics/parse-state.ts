import type { CalendarUnit } from './time-range.resolver.js';
import type { TimeSpan } from './time-phrase.parser.js';
import type { DimensionId, FilterDimension, MetricId, QueryFilter } from './structured-query.js';

/** What the rules found in one question, before defaults and follow-up merging. */
export interface ParseState {
  metrics: { id: MetricId; weak: boolean; from: number; to: number }[];
  /** A metric implied by wording ("best-selling": units) when none is named. */
  metricHint: MetricId | null;
  groupBy: DimensionId | null;
  /** "over time": pick the interval from the range length. */
  autoInterval: boolean;
  limit: number | null;
  /** The dimension noun after "top"/"which" was plural ("top products"). */
  pluralTarget: boolean;
  direction: 'asc' | 'desc' | null;
  superlative: boolean;
  /** "most used", "most common": rank by how often, not by money. */
  popular: boolean;
  /** "best sellers", "what sold best": products, unless a noun names something else. */
  rankProducts: boolean;
  sort: { by: 'value' | 'label'; order: 'asc' | 'desc' } | null;
  filters: QueryFilter[];
  /** Follow-up: drop filters on these ("all countries"). */
  clearFilters: FilterDimension[];
  spans: TimeSpan[];
  compareSpans: TimeSpan[];
  compareShift: {
    unit: CalendarUnit | 'period';
    kind: 'previous_period' | 'previous_year';
    /** "vs the previous 7 days": the length named, which must be the range's own. */
    length?: { count: number; unit: CalendarUnit };
    /** "vs the same period of 1997": the year the same dates are taken from. */
    year?: number;
  } | null;
  /** A change word ("change", "grow"): "from Q2 to Q3" then compares Q3 with Q2. */
  growth: boolean;
  /**
   * Follow-up: step the earlier range. "The month before" is a whole month,
   * even after "this month" (`whole`); "the same period last year" keeps a
   * to-date range's elapsed part.
   */
  shift: { steps: number; unit: CalendarUnit | 'period'; whole: boolean } | null;
  /** "how are we doing": sales, but only over a period the question names. */
  howAreWeDoing: boolean;
  /** Things understood but not answerable by Tier 1, with the words involved. */
  problems: string[];
}

export function emptyState(): ParseState {
  return {
    metrics: [],
    metricHint: null,
    groupBy: null,
    autoInterval: false,
    limit: null,
    pluralTarget: false,
    direction: null,
    superlative: false,
    popular: false,
    rankProducts: false,
    sort: null,
    filters: [],
    clearFilters: [],
    spans: [],
    compareSpans: [],
    compareShift: null,
    growth: false,
    shift: null,
    howAreWeDoing: false,
    problems: [],
  };
}
