import { DIMENSIONS, METRICS } from './catalogue.js';
import type { ParseState } from './parse-state.js';
import { tokenize } from './question-text.js';
import {
  ATTRIBUTE_DIMENSIONS,
  type AttributeDimension,
  type DimensionId,
  type MetricId,
} from './structured-query.js';
export { takeAmounts, takeEntities, takeStatuses } from './filter-phrase.rules.js';
import { alternation, type TokenStream } from './token-stream.js';
import type { CalendarUnit } from './time-range.resolver.js';

const UNIT = '(day|week|month|quarter|year)';
/** A catalogue phrase in the parser's token form; memoised, the catalogue is fixed. */
const normalised = new Map<string, string>();
const norm = (p: string): string => {
  let n = normalised.get(p);
  if (n === undefined) {
    n = tokenize(p).join(' ');
    normalised.set(p, n);
  }
  return n;
};

export const COMPARE_MARKER =
  '(?:compared (?:to|with)|compares? (?:to|with|against)|stacks? up (?:against|to|with)|stacked up (?:against|to|with)|measures? up (?:against|to)|in comparison (?:to|with)|comparing (?:it )?(?:to|with)|versus|against|relative to|(?:more|less|higher|lower|better|worse|bigger|smaller|fewer|up|down) (?:than|on|from|versus)|and compare (?:it )?(?:to|with)|than)';

/** Comparison phrases that name no date of their own ("vs the previous period"). */
export function takeComparisons(s: TokenStream, st: ParseState): void {
  s.take(
    `${COMPARE_MARKER} (?:the )?(?:(?:previous|prior|preceding|last) period|period before)`,
    () => {
      st.compareShift = { unit: 'period', kind: 'previous_period' };
    },
  );
  s.take(
    `${COMPARE_MARKER} (?:the )?(?:same (?:period|time|dates|days|day|months?|weeks?|quarters?) (?:of |in )?(?:last|a|the previous|previous|one|the prior|prior|the last) year|(?:a|one) year (?:ago|earlier|before)|last year same period|year before)`,
    () => {
      st.compareShift = { unit: 'year', kind: 'previous_year' };
    },
  );
  // "vs the same period of 1997": the same dates in a named year.
  s.take(
    `${COMPARE_MARKER} (?:the )?same (?:period|time|dates|days|months?|weeks?|quarters?) (?:of|in) ((?:19|20)\\d\\d)`,
    (m) => {
      st.compareShift = { unit: 'year', kind: 'previous_year', year: Number(m[1]) };
    },
  );
  // "vs a week earlier", "compared with one month before".
  s.take(`${COMPARE_MARKER} (?:a|one) ${UNIT} (?:earlier|before|ago)`, (m) => {
    const unit = m[1] as CalendarUnit;
    st.compareShift = { unit, kind: unit === 'year' ? 'previous_year' : 'previous_period' };
  });
  s.take(
    `(?:${COMPARE_MARKER}${s.tokens.includes('compare') ? '|with|to' : ''}) (?:the )?(?:(?:previous|prior|preceding) (\\d+) ${UNIT}s?|(\\d+) ${UNIT}s? (?:before|prior|earlier)(?: that| it| this)?)`,
    (m) => {
      const count = Number(m[1] ?? m[3]);
      const unit = (m[2] ?? m[4]) as CalendarUnit;
      if (!(count >= 1)) return false;
      st.compareShift = { unit: 'period', kind: 'previous_period', length: { count, unit } };
      // "compare revenue … with the 30 days before that": the verb opened it.
      const verb = s.tokens.indexOf('compare');
      if (verb >= 0 && s.at(verb)) s.mark(verb);
      return true;
    },
  );
  s.take(
    `${COMPARE_MARKER} (?:the )?same (?:period|time|dates|days|day) (?:of |in )?(?:last|the previous|previous|the prior|prior) (day|week|month|quarter)`,
    (m) => {
      st.compareShift = { unit: m[1] as CalendarUnit, kind: 'previous_period' };
    },
  );
  s.take(
    `${COMPARE_MARKER} (?:the )?(?:${UNIT} before|(?:previous|prior|preceding) ${UNIT})`,
    (m) => {
      const unit = (m[1] ?? m[2]) as CalendarUnit;
      st.compareShift = { unit, kind: unit === 'year' ? 'previous_year' : 'previous_period' };
    },
  );
  s.take(`${UNIT} (?:over|on) ${UNIT}(?: change| growth)?|period (?:over|on) period`, (m) => {
    if (m[1] && m[1] !== m[2]) return false;
    const unit = (m[1] ?? 'period') as CalendarUnit | 'period';
    st.compareShift = { unit, kind: unit === 'year' ? 'previous_year' : 'previous_period' };
    return true;
  });
}

/** "the growth in revenue": compare with the period before unless told otherwise. */
export function takeGrowthWords(s: TokenStream, st: ParseState): void {
  s.take(
    '(?:the )?(?:growth|change|changed|increase|decrease|difference|delta|percent change|grow|grew|grown|evolve|evolved|develop|developed)(?: in| of)?|(?:go|goes|went|gone|going) (?:up|down)(?: or (?:up|down))?|(?:up|down) or (?:up|down)|how much (?:more|less|higher|lower)',
    () => {
      st.compareShift ??= { unit: 'period', kind: 'previous_period' };
      st.growth = true;
    },
  );
  // "… in percent": a comparison answers with its change in percent anyway.
  s.take('(?:(?:in|as)(?: a)? )?percent(?: terms)?', () =>
    Boolean(st.growth || st.compareShift || st.compareSpans.length > 0),
  );
}

/** Follow-up steps of the earlier range: "and the month before?", "the same period a year earlier". */
export function takeFollowUpShift(s: TokenStream, st: ParseState): void {
  s.take(
    `(?:the )?${UNIT} (before|after)(?: that| it| this)?|(?:the )?(previous|prior|preceding|next|following) ${UNIT}(?: before)?`,
    (m) => {
      const unit = (m[1] ?? m[4]) as CalendarUnit;
      const back = m[2] === 'before' || /previous|prior|preceding/.test(m[3] ?? '');
      st.shift = { steps: back ? -1 : 1, unit, whole: true };
    },
  );
  s.take(
    '(?:the )?same (?:period|time|dates|days|month|week|quarter) (?:of |in )?(?:last|a|the previous|previous|one|the prior|the last) year(?: earlier| before| ago)?|(?:a|one) year (?:earlier|before)|the year before',
    () => {
      st.shift = { steps: -1, unit: 'year', whole: false };
    },
  );
  // "same but for the previous week", "same thing for Germany": the earlier question again.
  s.take(
    '^(?:the )?same(?: thing| question| again)?(?: but)?(?: for| with)?',
    (_m, from) => from === 0,
  );
  // "and the one before?": the period before the earlier one, whatever its length.
  s.take('(?:the )?(?:one|period) (before|after)(?: that| it)?', (m) => {
    st.shift = { steps: m[1] === 'before' ? -1 : 1, unit: 'period', whole: true };
  });
}

const nounAlts = new Map<string, string>();
const nounAlt = (dims: DimensionId[]): string => {
  const key = dims.join(',');
  let alt = nounAlts.get(key);
  if (alt === undefined) {
    alt = alternation(dims.flatMap((d) => DIMENSIONS[d].nouns.map(norm)));
    nounAlts.set(key, alt);
  }
  return alt;
};
const ATTR: AttributeDimension[] = [...ATTRIBUTE_DIMENSIONS];
const ALL_DIMS = Object.keys(DIMENSIONS) as DimensionId[];

/** Each noun's dimension; the first dimension to list a noun owns it. */
const DIM_OF_NOUN = new Map<string, DimensionId>();
for (const d of ALL_DIMS)
  for (const noun of DIMENSIONS[d].nouns.map(norm))
    if (!DIM_OF_NOUN.has(noun)) DIM_OF_NOUN.set(noun, d);
const dimOfNoun = (noun: string): DimensionId | null => DIM_OF_NOUN.get(noun) ?? null;

/**
 * What "popular" / "most used" ranks by: products and categories by the units
 * that sell, order attributes (payment method, channel, country...) by orders.
 */
export function popularityMetric(dim: DimensionId): MetricId {
  return dim === 'product' || dim === 'category' ? 'units_sold' : 'order_count';
}

const isPlural = (noun: string): boolean => /s$/.test(noun) && !/status$/.test(noun);

const UP =
  'busiest|top|best|highest|biggest|largest|leading|most|greatest|strongest|best performing|highest grossing|most valuable|most important|largest spending|biggest spending|highest spending';
const DOWN =
  'bottom|worst|lowest|least|smallest|fewest|weakest|worst performing|least valuable|slowest';
const DOWN_WORD = new RegExp(`^(?:the )?(?:${DOWN})$`);
const HINT =
  '(?: (selling|sold|ordered|popular|purchased|bought|revenue|grossing|earning|spending))?';

/**
 * "the customer that bought the most", "customers who ordered the most",
 * "which clients spent the least": the noun ranked by what the verb says
 * (money; orders for "ordered"; units for "sold" products). Taken before
 * the measure phrases, which would read "customers who ordered" as a count.
 */
export function takeVerbRankings(s: TokenStream, st: ParseState): void {
  const nouns = nounAlt([...ATTR]);
  s.take(
    `(?:the )?(?:(\\d+) )?(${nouns}) (?:that|who|which) (?:have |has |had )?(bought|spent|purchased|paid|shopped|ordered|sold)(?: (?:the )?(most|least|more|less))(?! than)`,
    (m) => {
      const dim = rankNoun(st, m[2]!, /^(least|less)$/.test(m[4]!) ? 'asc' : 'desc', m[1]);
      if (!dim) return false;
      st.metricHint =
        m[3] === 'ordered' ? 'order_count' : m[3] === 'sold' ? popularityMetric(dim) : 'revenue';
      return true;
    },
  );
}

/** Rank by the noun's dimension: the breakdown, its direction and, when given, how many rows. */
function rankNoun(
  st: ParseState,
  noun: string,
  dir: 'asc' | 'desc',
  n: string | undefined,
): DimensionId | null {
  const dim = dimOfNoun(noun);
  if (!dim) return null;
  st.groupBy = dim;
  st.direction = dir;
  st.superlative = true;
  st.pluralTarget = isPlural(noun);
  if (n) st.limit = Number(n);
  return dim;
}

/** "top 5 products", "3 worst categories", "best-selling product", "which country". */
export function takeRankings(s: TokenStream, st: ParseState): void {
  const nouns = nounAlt([...ATTR, 'day', 'week', 'month', 'quarter', 'year']);
  const apply = (
    dir: 'asc' | 'desc',
    n: string | undefined,
    hint: string | undefined,
    noun: string,
    m0 = '',
  ): boolean => {
    const dim = rankNoun(st, noun, dir, n);
    if (!dim) return false;
    if (/busiest/.test(m0)) st.metricHint = 'order_count';
    if (hint && /sell|sold|popular|purchased|bought|ordered/.test(hint))
      st.metricHint = popularityMetric(dim);
    if (hint && /revenue|grossing|earning|spending/.test(hint)) st.metricHint = 'revenue';
    return true;
  };
  s.take(`(?:the )?(${UP}|${DOWN}|first) (\\d+)${HINT} (${nouns})`, (m) =>
    apply(DOWN_WORD.test(m[1]!) ? 'asc' : 'desc', m[2], m[3], m[4]!, m[0]),
  );
  // "top three Beverages products", "the 5 best German customers": the names
  // between the count and the noun are filters, taken already.
  s.take(
    `(?:the )?(?:(${UP}|${DOWN}|first) (\\d+)|(\\d+) (${UP}|${DOWN})) (?:# )+(${nouns})`,
    (m) => {
      const word = (m[1] ?? m[4])!;
      return apply(DOWN_WORD.test(word) ? 'asc' : 'desc', m[2] ?? m[3], undefined, m[5]!, m[0]);
    },
    { across: true },
  );
  // "which are the 3 products most sold": the count before the noun, the ranking after.
  s.take(`(?:the )?(\\d+) (${nouns})`, (m, _from, to) => {
    const dim = dimOfNoun(m[2]!);
    if (!dim) return false;
    if (!st.superlative && !/^(most|least|best|worst|top)$/.test(s.at(to))) return false;
    st.groupBy = dim;
    st.limit = Number(m[1]);
    st.pluralTarget = st.limit > 1;
    return true;
  });
  s.take(`(?:the )?(\\d+) (${UP}|${DOWN})${HINT} (${nouns})`, (m) =>
    apply(DOWN_WORD.test(m[2]!) ? 'asc' : 'desc', m[1], m[3], m[4]!),
  );
  s.take(`(?:the |our )?(${UP}|${DOWN})${HINT} (${nouns})`, (m) =>
    apply(DOWN_WORD.test(m[1]!) ? 'asc' : 'desc', undefined, m[2], m[3]!, m[0]),
  );
  // "5 products with the most stock", "the 3 countries with the lowest revenue"
  s.take(
    `(?:the )?(?:(\\d+) )?(${nouns}) (?:with|having|that have|that had|which have) (?:the )?(most|highest|biggest|largest|greatest|best|least|lowest|fewest|smallest|worst)`,
    (m) =>
      apply(
        /^(least|lowest|fewest|smallest|worst)$/.test(m[3]!) ? 'asc' : 'desc',
        m[1],
        undefined,
        m[2]!,
      ),
  );
  // "which payment method is most used": popularity, whatever the noun's place.
  s.take(
    '(?:the )?(?:most|least) (?:used|common|frequent|frequently used|often used|popular|often|frequently)|(?:the )?(?:most|fewest|least) (?:number of )?times|(?:use|used|uses|using) (?:the )?(?:most|least)(?: often)?',
    (m) => {
      st.direction ??= /least|fewest/.test(m[0]) ? 'asc' : 'desc';
      st.superlative = true;
      st.popular = true;
    },
  );
  s.take(`(?:the )?(selling|sold|ordered|popular|purchased|bought) (${nouns})`, () => {
    if (st.groupBy === null) return false;
    return true;
  });
  s.take(`(?:which|what|whose) (\\d+ )?(${nouns})`, (m) => {
    const dim = dimOfNoun(m[2]!);
    if (!dim) return false;
    st.groupBy = dim;
    st.pluralTarget = isPlural(m[2]!);
    if (m[1]) st.limit = Number(m[1]);
    return true;
  });
  // "the countries with the most orders, the first five"
  s.take('(?:the )?first (\\d+)', (m) => {
    if (!st.superlative && !st.groupBy) return false;
    st.limit = Number(m[1]);
    st.pluralTarget = st.limit > 1;
    st.superlative = true;
    return true;
  });
  s.take(
    `(?:the )?(${UP}|${DOWN}) (\\d+)|(?:show|give|list)(?: me)? (?:the )?(\\d+)`,
    (m, from) => {
      // "at least 1 order" is an amount of orders, not a ranking.
      if (s.tokens[from - 1] === 'at') return false;
      if (m[1]) {
        st.direction = DOWN_WORD.test(m[1]) ? 'asc' : 'desc';
        st.superlative = true;
      }
      st.limit = Number(m[2] ?? m[3]);
      st.pluralTarget = st.limit > 1;
      return true;
    },
  );
}

/**
 * "customers by the end of …", "by now": a point in time, not a measure to rank
 * by. Most periods ("by June") are taken before groupings run and refused as
 * open-ended (refuseOpenStarts); this catches the time words left over.
 */
const BY_A_TIME =
  '(?:\\d|the end|end|now|today|yesterday|then|last|this|next|january|february|march|april|may|june|july|august|september|october|november|december)';

/** "monthly", "daily": adjectives that name a dimension. */
const ADJECTIVES: [string, DimensionId][] = ALL_DIMS.flatMap((d) =>
  (DIMENSIONS[d].adjectives ?? []).map((a) => [norm(a), d] as [string, DimensionId]),
);
const ADJECTIVES_ALT = alternation(ADJECTIVES.map(([a]) => a));

/** "by country", "per month", "for each category", "monthly", "over time". */
export function takeGroupings(s: TokenStream, st: ParseState): void {
  const nouns = nounAlt(ALL_DIMS);
  // "orders placed by customers in Mexico": "by" names who placed them, no breakdown.
  s.take(
    '(?:placed|made|bought|ordered|purchased|submitted|paid) by (?:our |the |all )?(?:customers|buyers|shoppers|people)',
    () => undefined,
  );
  // "a breakdown of order volume by channel", "break down revenue by country":
  // the verb or noun goes with a "by"/"per" later in the question.
  const byLater = (to: number) => s.tokens.slice(to).some((t) => t === 'by' || t === 'per');
  s.take(
    '(?:a |the )?(?:breakdown|split|distribution) of|break(?:ing)? (?:it |this |that )?down',
    (_m, _from, to) => byLater(to),
  );

  /** Break down by `dim`; a second, different breakdown is a problem. */
  const breakDown = (dim: DimensionId | null | undefined): boolean => {
    if (!dim) return false;
    if (st.groupBy && st.groupBy !== dim) st.problems.push('more than one breakdown');
    st.groupBy = dim;
    return true;
  };
  // "split it per day": the verb goes with its noun before "per day" alone is read.
  s.take(
    `(?:split|broken|grouped|segmented|sorted out|bucketed) (?:it |this |that |them )?(?:down |out |up )?(?:by|per|into) (?:the |our |their |all |different )?(${nouns})`,
    (m) => breakDown(dimOfNoun(m[1]!)),
  );
  s.take(ADJECTIVES_ALT, (m) => breakDown(ADJECTIVES.find(([a]) => a === m[0])?.[1]));
  s.take(
    `(?:break(?:ing)? (?:it |this |that )?(?:down|out) by|breakdown by|breakdown per|group(?:ed)? by|by each|by|per|for each|for every|each|every|across(?: all)?(?: the)?|among(?: the)?|in each|for all(?: the)?) (?:the |our |their |all |different )?(${nouns})`,
    (m) => breakDown(dimOfNoun(m[1]!)),
  );
  // "products ranked by units sold", "customers by revenue": the noun before a
  // "by <measure>" is the breakdown ("customers by country" is the rule above).
  s.take(
    `(?:the |our |all |all the )?(${nouns}) (?:(?:ranked|sorted|ordered|listed|arranged|rated) )?by(?= (?!(?:the |our |each |every )?(?:${nouns})(?: |$)|${BY_A_TIME}))`,
    (m) => {
      const dim = dimOfNoun(m[1]!);
      if (!dim || (st.groupBy && st.groupBy !== dim)) return false;
      st.groupBy = dim;
      return true;
    },
  );
  s.take(`(?:(${nouns}) )?(?:breakdown|split|distribution|mix)(?: by (${nouns}))?`, (m) => {
    const dim = dimOfNoun(m[1] ?? m[2] ?? '');
    if (!dim) return false;
    st.groupBy = dim;
    return true;
  });
  s.take('over time|as a time series|time series|trend line|timeline|history', () => {
    st.autoInterval = true;
  });
}

/** Follow-up: "all countries", "every channel" clears a filter instead of grouping. */
export function takeFilterClears(s: TokenStream, st: ParseState): void {
  s.take(
    `(?:for |in |across )?(?:all|any|every) (${nounAlt(ATTR)})|(?:remove|drop|clear|without) (?:the )?(${nounAlt(ATTR)}) filter`,
    (m) => {
      const dim = dimOfNoun((m[1] ?? m[2])!);
      if (
        !dim ||
        dim === 'day' ||
        dim === 'week' ||
        dim === 'month' ||
        dim === 'quarter' ||
        dim === 'year'
      )
        return false;
      st.clearFilters.push(dim);
      return true;
    },
  );
}

const WEAK = new Set([
  'orders',
  'order',
  'customers',
  'customer',
  'clients',
  'client',
  'products',
  'product',
  'skus',
  'sku',
  'items',
  'money',
  'made',
  'earned',
  'sales',
  'sells',
  'sellings',
  'spend',
  'spent',
  'share',
  'basket',
  'buyers',
  'shoppers',
  'listings',
  'purchases',
  'transactions',
  'quantity',
]);

const METRIC_PHRASES: [string, MetricId][] = (Object.keys(METRICS) as MetricId[]).flatMap((id) =>
  METRICS[id].synonyms.map((p) => [norm(p), id] as [string, MetricId]),
);

const ALL_METRIC_PHRASES = METRIC_PHRASES.map(([p]) => p);
const ALL_METRICS_ALT = alternation(ALL_METRIC_PHRASES);

/**
 * Whether the status phrase at `from` ("refunded orders") is a filter rather
 * than the measure: after a negation ("revenue excluding cancelled and
 * refunded orders") or closing a list of statuses ("cancelled and refunded
 * orders" are orders in either status, not refunds among cancelled orders).
 */
function statusFilterAt(tokens: readonly string[], from: number): boolean {
  let i = from - 1;
  let listed = false;
  while (
    i >= 0 &&
    /^(and|or|cancelled|refunded|pending|paid|shipped|delivered|returned)$/.test(tokens[i]!)
  ) {
    if (tokens[i] === 'and' || tokens[i] === 'or') listed = true;
    i--;
  }
  if (listed) return true;
  const before = tokens.slice(Math.max(0, i - 1), i + 1).join(' ');
  return /(^| )(not|excluding|excl|except|without|minus|ignoring|not including|not counting)$/.test(
    before,
  );
}

/**
 * Metric phrases; `only` limits the pass to some of them (the parser first takes
 * phrases such as "refund rate" that would otherwise lose a word to a filter).
 */
export function takeMetrics(
  s: TokenStream,
  st: ParseState,
  only?: (phrase: string) => boolean,
): void {
  const phrases = only ? METRIC_PHRASES.map(([p]) => p).filter(only) : ALL_METRIC_PHRASES;
  if (phrases.length === 0) return;
  s.take(
    `(?:by |in |of |for |on )?(?:the )?(?:total |overall |gross |net )?(${only ? alternation(phrases) : ALL_METRICS_ALT})`,
    (m, from, to) => {
      const id = METRIC_PHRASES.find(([p]) => p === m[1])?.[1];
      if (!id) return false;
      if (/\b(cancelled|refunded)\b/.test(m[1]!) && statusFilterAt(s.tokens, from)) return false;
      st.metrics.push({ id, weak: WEAK.has(m[1]!), from, to });
      return true;
    },
  );
}

export function takeSorting(s: TokenStream, st: ParseState): void {
  s.take(
    '(?:(?:sorted|ordered|ranked|sort|order|rank|arranged)(?: it| them)?(?: by (?:value|amount|size))? )?(?:in )?(ascending|descending|asc|desc|increasing|decreasing|reverse)(?: order)?|(?:sorted |ordered |ranked )?(?:from )?(highest|largest|most|biggest|top|best) to (?:lowest|smallest|least|bottom|worst)|(?:sorted |ordered |ranked )?(?:from )?(lowest|smallest|least|bottom|worst) to (?:highest|largest|most|biggest|top|best)|(highest|largest|most|biggest|best) first|(lowest|smallest|least|fewest|worst) first',
    (m) => {
      const asc = /^(ascending|asc|increasing)$/.test(m[1] ?? '') || Boolean(m[3] || m[5]);
      st.sort = { by: 'value', order: asc ? 'asc' : 'desc' };
    },
  );
  s.take(
    '(?:(?:sorted|ordered|listed|sort|order|rank|ranked) )?(?:alphabetically|alphabetical|by name|a to z|a z)(?: order)?',
    () => {
      st.sort = { by: 'label', order: 'asc' };
    },
  );
  s.take('(?:(?:sorted|ordered|ranked|sort|order|rank) )(?:by )?(?:value|amount|size)?', () => {
    st.sort ??= { by: 'value', order: 'desc' };
  });
  // "categories ranked by units sold": the metric took "by units sold" already.
  s.take('(?:sorted|ranked)', () => {
    st.sort ??= { by: 'value', order: 'desc' };
  });
}

export function takeSuperlatives(s: TokenStream, st: ParseState): void {
  s.take(`(?:the )?(?:${UP})|(?:the )?(?:${DOWN})`, (m) => {
    st.superlative = true;
    st.direction = DOWN_WORD.test(m[0]) ? 'asc' : 'desc';
  });
}

/** Bare dimension nouns left over ("country revenue") group by that dimension. */
export function takeBareDimension(s: TokenStream, st: ParseState): void {
  if (st.groupBy) return;
  s.take(`(${nounAlt(ATTR)})`, (m) => {
    const dim = dimOfNoun(m[1]!);
    if (!dim || st.groupBy) return false;
    st.groupBy = dim;
    return true;
  });
}

/**
 * Phrases that look like the catalogue but ask something else: answering them
 * by dropping a word would be a confident wrong number, so they are refused.
 * "smallest order" is not "orders" (only the largest order is a metric);
 * "business customers" is a customer segment, not all customers.
 */
export function takeLookalikes(s: TokenStream, st: ParseState): void {
  // "please state the revenue": the verb of a request, not the order status.
  s.take('(?:please|kindly|pls) state', () => undefined);
  // "quick one", "quick question": no number, no measure.
  s.take('(?:a )?quick (?:1|question|q)', () => undefined);
  s.take(
    '(?:the )?(?:smallest|lowest|cheapest|tiniest|least expensive|minimum|min) (?:single )?(?:order|purchase|sale|basket)(?: value| total| amount| size)?(?! count| counts| number| numbers| volume)',
    (m) => {
      st.problems.push(`"${m[0]}" is not in the catalogue (the largest order is)`);
    },
  );
  // A list of single orders ("the orders with the highest value") is not a measure.
  s.take(
    '(?:the )?(?:\\d+ )?(?:orders|purchases|baskets) (?:with|having|that have|that had|by) (?:the )?(?:highest|biggest|largest|greatest|most|lowest|smallest|least)(?: (?:value|values|total|totals|amount|amounts|revenue|spend))?',
    (m) => {
      st.problems.push(
        `"${m[0]}" asks for a list of orders; Tier 1 answers measures (the largest order is one)`,
      );
    },
  );
  s.take('(?:the )?(?:average )?(?:customer )?(?:lifetime value|ltv|clv)', (m) => {
    st.problems.push(`"${m[0]}" is not in the catalogue`);
  });
  s.take(
    '(?:business|company|corporate|b2b|wholesale|trade|private|consumer|individual|vip|loyal|repeat|returning) (?:customers?|clients?|buyers?|accounts?|shoppers?)',
    (m) => {
      st.problems.push(`customer segments such as "${m[0]}" are not in the catalogue`);
    },
  );
}

/**
 * Phrases whose measure the generic rules would get wrong:
 * - "value of cancelled orders" is the money of those orders, not their count;
 * - "how many items are in the Mugs category" counts the catalogue, not units sold;
 * - "best sellers", "most sold" rank by units, wherever the noun stands.
 */
export function takeMeasurePhrases(s: TokenStream, st: ParseState): void {
  // "how are we doing this month", "how did the shop do in May": a shop owner
  // asking how things go means sales, unless a measure is named.
  s.take(
    '(?:so )?how (?:are|were|did|do|is|was|has|have) (?:we|us|i|the shop|the store|the business|things|business|sales) (?:been )?(?:doing|do|done|perform|performing|performed|going|gone|look|looking)',
    () => {
      st.metricHint ??= 'revenue';
      st.howAreWeDoing = true;
    },
  );
  // "number of customers who placed an order", "customers that bought": the
  // clause makes them ordering customers, not the customers on file. Not
  // after a ranking ("top 5 customers who bought"), which groups by customer,
  // nor after "new" or "returning", measures of their own.
  s.take(
    `(?:(?:the )?(?:number|count|total|amount) of |how many )?(?:unique |distinct |different |individual )?(?:customers|clients|buyers|shoppers|people) (?:who|that|which)? ?(?:have |had |has )?(?:placed|made|ordered|bought|purchased|shopped|submitted)(?: (?:an|a|any|at least one|one or more|some))?(?: (?:orders?|purchases?))?`,
    (m, from, to) => {
      const before = s.tokens[from - 1] ?? '';
      if (
        /^(top|bottom|best|worst|biggest|largest|smallest|new|returning|repeat|first|\d+)$/.test(
          before,
        )
      )
        return false;
      // "customers who placed orders" without who/that ("customers ordered") is the catalogue's.
      if (!/ (who|that|which) /.test(` ${m[0]} `)) return false;
      st.metrics.push({ id: 'ordering_customers', weak: false, from, to });
      return true;
    },
  );
  s.take(
    '(?:the )?(?:total )?(?:value|amount|sum|worth) of (?:the |all |our )?(cancelled|canceled|refunded) orders',
    (m, from, to) => {
      const status = m[1] === 'refunded' ? 'refunded' : 'cancelled';
      st.metrics.push({ id: 'revenue', weak: false, from, to });
      st.filters.push({
        kind: 'dimension',
        dimension: 'status',
        values: [status],
        labels: [status],
        negate: false,
      });
    },
  );
  s.take(
    'how many (?:different )?(?:items|products|skus|articles) (?:are there|are|do we have|do we carry|we have|we carry)(?= in )',
    (_m, from, to) => {
      st.metrics.push({ id: 'product_count', weak: false, from, to });
    },
  );
  s.take(
    '(?:the |our )?(?:best|top) sellers?|(?:the )?(?:most|least) sold|sold (?:the )?(?:most|best|least)(?: of)?|sells? (?:the )?(?:best|most|least)(?: of)?|selling (?:the )?(?:best|most)',
    (m, from, to) => {
      // "the 5 least sold products" is a ranking with its count: left to takeRankings.
      if (/^\d+$/.test(s.tokens[from - 1] ?? '')) return false;
      // "least sold products": a list, as "best sellers" is.
      if (/^(products|items|skus|articles)$/.test(s.tokens[to] ?? '')) st.pluralTarget = true;
      st.superlative = true;
      st.direction ??= m[0].includes('least') ? 'asc' : 'desc';
      st.metricHint = 'units_sold';
      // With no noun of their own ("what sold best", "best sellers") they rank products.
      st.rankProducts = true;
      if (m[0].endsWith('sellers')) st.pluralTarget = true;
      return true;
    },
  );
}

/** Words that carry no meaning of their own in a data question. */
export const FILLERS = new Set(
  `how many much what which who whom whose was were is are be been being the a an our we us my i me
you your did do does done have has had having get got gets getting in on at of for from to during over within by with and or
that this these those there their it its show give tell list display see find let know please can could would will should shall
might compute calculate count counted total number amount value values sum all so far up until through into about as just only
also then when where whats hows s overall come came comes coming placed provide provided people doing yet contribute contributes contributed contribution kindly wise moving moved shifting shifted process processed processing quick place receive received sell sold selling sale bought buy purchased
make generate generated generating bring brought gross net some any look like looking report figure figures stats statistics
data kpi kpis metric metrics currently current now right exactly approximately roughly here anyway ok okay hey hi hello thanks
thank altogether same for each period date dates time times been period shop store business company were got pull fetch
check much many value ve ll re d m t need needed want still left catalogue love wondering wonder curious possible possibly if cheers remind whole did happen happened spent spend spends ordered signed registered joined sign signups everything something included including include includes containing contain contained worth valued take took taken across use uses used using combined hold holds held settled marked earn based located`.split(
    /\s+/,
  ),
);

/** Every word the grammar uses: typo correction aims only at these (plus the shop's names). */
export function grammarWords(): Set<string> {
  const words = new Set<string>(FILLERS);
  const addAll = (p: string): void => {
    for (const w of norm(p).split(' ')) if (/^[a-z]+$/.test(w)) words.add(w);
  };
  for (const [p] of METRIC_PHRASES) addAll(p);
  for (const d of ALL_DIMS)
    for (const p of [...DIMENSIONS[d].nouns, ...(DIMENSIONS[d].adjectives ?? [])]) addAll(p);
  for (const p of [
    UP,
    DOWN,
    COMPARE_MARKER,
    'january february march april may june july august september october november december',
    'monday tuesday wednesday thursday friday saturday sunday fortnight week of',
    'today yesterday last past previous prior trailing recent latest this next ago since between before after until until onwards ending ended',
    'days weeks months quarters years half first second third fourth full complete whole calendar fiscal beginning start launch ever',
    'pending paid shipped delivered cancelled refunded active draft archived inactive status state unpaid',
    'excluding exclude except without not other than outside apart besides minus ignoring',
    'over time series sorted ordered ranked ascending descending alphabetically breakdown broken split grouped across among every',
    'stock inventory out left remaining available dollars euros pounds bucks quid usd eur gbp growth change increase decrease difference',
    'selling sold popular purchased bought grossing earning spending performing valuable',
    'versus compared comparison relative against',
    'christmas boxing eve new year years valentine valentines halloween black cyber combined together rolling',
    // Known but unsupported measures: kept so a typo fixer never turns "cost" into "most".
    'cost costs profit profits margin margins tax taxes shipping discount discounts fee fees returns return refund conversion traffic visits sessions',
  ])
    addAll(p);
  return words;
}
