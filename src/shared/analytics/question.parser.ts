import { DateTime } from 'luxon';
import { emptyState, type ParseState } from './parse-state.js';
import {
  askedTimeZone,
  correctTypos,
  englishWordOrder,
  simplifyShares,
  tokenize,
  whoAsCustomer,
} from './question-text.js';
import {
  COMPARE_MARKER,
  FILLERS,
  grammarWords,
  takeAmounts,
  takeBareDimension,
  takeComparisons,
  takeEntities,
  takeFilterClears,
  takeFollowUpShift,
  takeGroupings,
  takeGrowthWords,
  takeLookalikes,
  takeMeasurePhrases,
  takeMetrics,
  popularityMetric,
  takeRankings,
  takeSorting,
  takeStatuses,
  takeSuperlatives,
  takeVerbRankings,
} from './question-rules.js';
import { buildEntityIndex, type EntityIndex, type ShopVocabulary } from './shop-vocabulary.js';
import { betweenEnds, findTimeSpans } from './time-phrase.parser.js';
import { clockOf, shiftRange, type Clock } from './time-range.resolver.js';
import { TokenStream } from './token-stream.js';
import {
  isTimeDimension,
  type DimensionId,
  type MetricId,
  type QueryFilter,
  type ResolvedRange,
  type StructuredQuery,
} from './structured-query.js';
import { checkQuery } from './query-rules.js';
import { asksAboutTheFuture } from './insight-question.js';
import { ORDER_STATUSES } from '../data/documents.js';

export interface ParseContext {
  asOf: Date;
  /** IANA zone of the shop; 'UTC' when unknown. */
  timezone: string;
  /** The shop's own names (products, categories, customers...); see loadShopVocabulary. */
  vocabulary?: ShopVocabulary;
  /** The shop asked about: "did shop 1 get" names it; naming another shop is refused. */
  shopId?: number;
  /** The shop's BCP 47 locale: whether 3/9/2025 is March 9 (en-US) or 3 September. */
  locale?: string;
}

export type ParseResult =
  { ok: true; query: StructuredQuery } | { ok: false; reason: string; unplaced: string[] };

let GRAMMAR: Set<string> | null = null;
const INDEXES = new WeakMap<ShopVocabulary, { index: EntityIndex; known: Set<string> }>();
let DEFAULT_INDEX: { index: EntityIndex; known: Set<string> } | null = null;

function indexFor(vocab: ShopVocabulary | undefined): {
  index: EntityIndex;
  known: Set<string>;
  grammar: Set<string>;
} {
  GRAMMAR ??= grammarWords();
  const grammar = GRAMMAR;
  const cached = vocab ? INDEXES.get(vocab) : DEFAULT_INDEX;
  if (cached) return { ...cached, grammar };
  const index = buildEntityIndex(vocab);
  const known = new Set(grammar);
  for (const phrase of index.keys()) for (const w of phrase.split(' ')) known.add(w);
  const built = { index, known };
  if (vocab) INDEXES.set(vocab, built);
  else DEFAULT_INDEX = built;
  return { ...built, grammar };
}

const fail = (reason: string, unplaced: string[] = []): ParseResult => ({
  ok: false,
  reason,
  unplaced,
});

/**
 * Question → StructuredQuery, or "not understood" with the words that fit
 * nowhere. Every word must be explained by a rule or be a filler word: a
 * question with a part the grammar cannot place is refused rather than
 * answered half-right, so it can escalate to the LLM tier.
 */
export function parseQuestion(
  question: string,
  ctx: ParseContext,
  previous?: StructuredQuery,
): ParseResult {
  // "what will Q1 revenue be" asks for a forecast, not for Q1 so far.
  if (asksAboutTheFuture(question))
    return fail('that asks about the future: Tier 1 answers from what has happened');
  // A zone named in the question ("(UK time)") counts its days, not the shop's;
  // a follow-up keeps the zone of the question it follows.
  const asked = askedTimeZone(tokenize(question));
  const zone = asked.zone ?? previous?.timezone ?? (ctx.timezone || 'UTC');
  let clock: Clock;
  try {
    clock = clockOf(ctx.asOf, zone, ctx.locale);
  } catch {
    return fail(`unknown time zone "${zone}"`);
  }
  const { index, known, grammar } = indexFor(ctx.vocabulary);
  const tokens = whoAsCustomer(englishWordOrder(simplifyShares(correctTypos(asked.tokens, known))));
  if (tokens.length === 0) return fail('the question is empty');
  const s = new TokenStream(tokens);
  const st = emptyState();
  const otherShop = takeShopMentions(s, ctx.shopId);
  if (otherShop !== null) {
    return fail(`the question names shop ${otherShop}, but it was asked for shop ${ctx.shopId}`, [
      `shop ${otherShop}`,
    ]);
  }

  takeLookalikes(s, st);
  takeVerbRankings(s, st);
  takeMeasurePhrases(s, st);
  takeComparisons(s, st);
  if (previous) takeFollowUpShift(s, st);
  // "compare revenue this month with last month": after "compare", a plain
  // "with" or "to" before a period marks the period compared with.
  const comparing = s.tokens.findIndex((t) => t === 'compare' || t === 'comparing');
  const spans = findTimeSpans(s, clock);
  // "compare Q1 2025 and Q1 2024": "and" joins two periods only when each
  // names its year ("march and april 1998" could be two different years).
  const everyYear = spans.every((sp) =>
    s.tokens.slice(sp.from, sp.to).some((t) => /^(?:19|20)\d\d$/.test(t)),
  );
  const marker = new RegExp(
    `^(?:${COMPARE_MARKER}${comparing >= 0 ? `|with|to${everyYear ? '|and' : ''}` : ''})(?: the| in| in the| for| during| on)?$`,
  );
  for (const span of spans) {
    let compared = false;
    for (let k = 4; k >= 1 && !compared; k--) {
      const idx = Array.from({ length: k }, (_, i) => span.from - k + i);
      if (idx[0]! < 0 || idx.some((i) => s.at(i) === '')) continue;
      if (marker.test(idx.map((i) => s.tokens[i]).join(' '))) {
        idx.forEach((i) => s.mark(i));
        st.compareSpans.push(span);
        compared = true;
        if (comparing >= 0 && s.at(comparing)) s.mark(comparing);
      }
    }
    if (!compared) st.spans.push(span);
  }
  refuseOpenStarts(s, st);
  takeAmounts(s, st);
  takeEntities(s, st, index, grammar);
  takeSideBySide(s, st);
  takeMetrics(
    s,
    st,
    (p) => p.includes(' ') && /\b(refunded|cancelled|active|stock|paid|acquire|acquired)\b/.test(p),
  );
  takeStatuses(s, st);
  takeRankings(s, st);
  if (previous) takeFilterClears(s, st);
  takeGroupings(s, st);
  takeMetrics(s, st);
  takeSorting(s, st);
  takeSuperlatives(s, st);
  takeGrowthWords(s, st);
  takeBareDimension(s, st);

  const unplaced = groupLeftovers(s);
  if (unplaced.length > 0) {
    return fail(
      `could not place ${unplaced.map((u) => `"${u}"`).join(', ')} in the question`,
      unplaced,
    );
  }
  if (st.problems.length > 0) return fail(st.problems.join('; '));
  return build(st, tokens, clock, zone, previous);
}

/**
 * "revenue Germany vs France", "compare orders in Germany and Canada": two or
 * more values of one dimension set side by side are a breakdown by it, kept
 * to those values. Without such a list the words stay unplaced.
 */
function takeSideBySide(s: TokenStream, st: ParseState): void {
  const sideBySide = () =>
    st.filters.find((f) => f.kind === 'dimension' && !f.negate && f.values.length >= 2);
  s.take('(?:versus|against|compared (?:to|with)|compare|comparing)', () => {
    const f = sideBySide();
    if (!f || f.kind !== 'dimension' || f.dimension === 'product_status') return false;
    if (st.groupBy && st.groupBy !== f.dimension) return false;
    st.groupBy = f.dimension;
    return true;
  });
}

/**
 * "revenue up to March", "customers by June", "orders before May": a period
 * that only ends. Read as the month itself it would be a wrong number, and
 * the start (the year's? the shop's first order?) is a guess; "from January
 * to March" and "year to date" say it. "from X through Y" is taken whole by
 * the time rules before this looks.
 */
function refuseOpenStarts(s: TokenStream, st: ParseState): void {
  for (const span of [...st.spans, ...st.compareSpans]) {
    if (span.range === null) continue; // "by lifetime spend", "until now": all time
    const one = s.at(span.from - 1);
    const two = `${s.at(span.from - 2)} ${one}`;
    const phrase = /^(up to|up until|prior to)$/.test(two)
      ? two
      : /^(until|till|through|thru|by|before)$/.test(one)
        ? one
        : null;
    if (phrase)
      st.problems.push(
        `"${phrase} …" gives only an end: say where the period starts ("from January to …")`,
      );
  }
}

/**
 * "shop 1", "store #3", "our shop": the shop itself, which every query is
 * scoped to already. Returns the number of a different shop when one is named.
 */
function takeShopMentions(s: TokenStream, shopId: number | undefined): number | null {
  let other: number | null = null;
  s.take('(?:shop|store) (?:no |number )?\\d+', (m) => {
    const n = Number(/(\d+)$/.exec(m[0])![1]);
    if (shopId !== undefined && n !== shopId) other = n;
    return true;
  });
  s.take('(?:our|my|the|this) (?:online )?(?:shop|store)', () => true);
  return other;
}

function groupLeftovers(s: TokenStream): string[] {
  const out: string[] = [];
  let last = -2;
  for (const { index, word } of s.leftovers()) {
    if (FILLERS.has(word)) continue;
    if (index === last + 1 && out.length > 0) out[out.length - 1] += ` ${word}`;
    else out.push(word);
    last = index;
  }
  return out;
}

const WEAK_PRIORITY: MetricId[] = [
  'order_count',
  'revenue',
  'units_sold',
  'customer_count',
  'product_count',
  'average_order_value',
  'revenue_share',
];

const STATUS_WORDS = ORDER_STATUSES.join('|');

/** Words that join two measures rather than qualify one ("sales and orders"). */
const JOINS_MEASURES = /^(and|or|vs|versus|plus|per|than|compared|against)$/;

/** `text` is the tokens joined, with a space at each end. */
function chooseMetric(
  st: ParseState,
  tokens: string[],
  text: string,
): MetricId | 'conflict' | 'share-of-count' | null {
  // A weak money word ("sales") before a weak "orders" a few words on, with
  // no "and"/"vs" between: "total sales from web orders" is revenue.
  const money = st.metrics.find((m) => m.id === 'revenue');
  if (money) {
    st.metrics = st.metrics.filter((m) => {
      if (m.id !== 'order_count' || !m.weak || m.from < money.to || m.from - money.to > 4)
        return true;
      // "sales excluding refunded and cancelled orders": that "and" joins statuses.
      const between = tokens
        .slice(money.to, m.from)
        .join(' ')
        .replace(new RegExp(`\\b(${STATUS_WORDS}) (?:and|or) (?=${STATUS_WORDS}\\b)`, 'g'), '$1 ');
      return between.split(' ').some((w) => JOINS_MEASURES.test(w));
    });
  }
  // "average order value for orders placed via Amazon": orders after "for"
  // say which orders the other measure is of.
  if (st.metrics.length > 1)
    st.metrics = st.metrics.filter(
      (m) =>
        m.id !== 'order_count' ||
        ![tokens[m.from - 1], tokens[m.from]].some((w) =>
          /^(for|of|on|from|among|across)$/.test(w ?? ''),
        ),
    );
  // "share of customers paying by card": a bare "share" before a measure that
  // has no share (only revenue and orders have one) must not answer the count.
  const share = st.metrics.find((m) => m.id === 'revenue_share' && m.weak);
  if (share && st.metrics.some((m) => m.id !== 'revenue_share' && m.id !== 'revenue'))
    return 'share-of-count';
  const howMany = text.includes(' how many ');
  const sold = / (sell|sold|selling|sells)( |$)/.test(text);
  // "how many Chai were ordered", "how many Beverages did Ernst Handel buy":
  // items of a product or category that changed hands are units, as "sold" is.
  const buys = / (buy|buys|bought|buying|order|ordered|purchase|purchased)( |$)/.test(text);
  const picks = (dims: string[]) =>
    st.filters.some((f) => f.kind === 'dimension' && !f.negate && dims.includes(f.dimension));
  const boughtItems = buys && !/ how many times /.test(text) && picks(['product', 'category']);
  // "how many products did we sell (last month)" counts units; "how many
  // products do we sell" without a period asks how big the catalogue is.
  const unitsSold =
    / sold( |$)/.test(text) ||
    / did (?:we|you|they|i|the shop|the store)(?: \w+)? sell( |$)/.test(text) ||
    (sold && st.spans.some((sp) => sp.range !== null));
  // "revenue and orders": two measures joined by "and" is two questions, even if one word is weak.
  const ordered = [...st.metrics].sort((a, b) => a.from - b.from);
  for (let i = 1; i < ordered.length; i++) {
    const [a, b] = [ordered[i - 1]!, ordered[i]!];
    const between = tokens.slice(a.to, b.from).join(' ');
    if (
      a.id !== b.id &&
      /^(and|and the|plus|as well as|and also|and number of|vs|versus|or)$/.test(between)
    )
      return 'conflict';
  }
  const strong = [...new Set(st.metrics.filter((m) => !m.weak).map((m) => m.id))];
  if (strong.includes('revenue_share')) return 'revenue_share';
  if (strong.includes('order_share')) return 'order_share';
  if (strong.length > 1) return 'conflict';
  if (strong.length === 1)
    return strong[0] === 'product_count' && unitsSold ? 'units_sold' : strong[0]!;
  const weak = new Set(st.metrics.map((m) => m.id));
  // "how many sales did we make": sales counted are orders.
  if (howMany && st.metrics.length === 1 && / how many sales /.test(text)) return 'order_count';
  // "how many PARTY BUNTING did EIRE order": "order" is the verb there, not the measure.
  if (
    howMany &&
    boughtItems &&
    weak.size === 1 &&
    weak.has('order_count') &&
    / did (\S+ ){1,5}order( |$)/.test(text)
  )
    return 'units_sold';
  if (weak.size > 0) {
    const first = WEAK_PRIORITY.find((m) => weak.has(m)) ?? [...weak][0]!;
    if (first === 'product_count' && unitsSold) return 'units_sold';
    if (first === 'revenue_share' && st.metrics.length === 1) return 'conflict';
    return first;
  }
  if (st.metricHint) return st.metricHint;
  if (st.popular && st.groupBy) return popularityMetric(st.groupBy);
  if (text.includes(' how much ')) return 'revenue';
  if (howMany && (sold || boughtItems)) return 'units_sold';
  if (howMany) return 'order_count';
  // "web and phone orders": the channel's name took the word "orders" with it.
  if (/ orders? /.test(text) && st.metrics.length === 0 && st.filters.length > 0)
    return 'order_count';
  // "which customer bought the most Chai": the most of one product is units
  // ("bought the most dairy products" stays money: a category mixes items).
  if (st.groupBy && st.superlative) return buys && picks(['product']) ? 'units_sold' : 'revenue';
  if (
    st.groupBy &&
    !isTimeDimension(st.groupBy) &&
    st.metrics.length === 0 &&
    st.filters.length === 0 &&
    st.spans.length > 0
  )
    return 'revenue';
  return null;
}

function autoInterval(range: ResolvedRange | null): DimensionId {
  if (!range) return 'month';
  const days = (Date.parse(range.end) - Date.parse(range.start)) / 86_400_000;
  return days <= 31 ? 'day' : days <= 183 ? 'week' : days <= 3 * 366 ? 'month' : 'year';
}

function mergeFilters(
  previous: QueryFilter[],
  next: QueryFilter[],
  cleared: string[],
): QueryFilter[] {
  // A product and a category both pick order lines: "the whole Brewing
  // Equipment category" after one of its products widens, it does not intersect.
  const key = (f: QueryFilter): string =>
    f.kind === 'dimension'
      ? f.dimension === 'product' || f.dimension === 'category'
        ? 'line'
        : f.dimension
      : `amount:${f.field}:${f.op}`;
  const replaced = new Set([...next.map(key), ...cleared]);
  return [...previous.filter((f) => !replaced.has(key(f))), ...next];
}

/**
 * What an explicit "vs <period>" compares with: a month, quarter or other part
 * of a year against a whole year ("October vs last year") means the same part
 * of that year; anything else is taken as named, as DESIGN.md defines it ("this
 * month vs last month" is all of last month: the answer's dates say so; "the
 * same period last month" asks for the same days).
 */
function sameSpanIn(
  clock: Clock,
  range: ResolvedRange,
  target: ResolvedRange,
): NonNullable<StructuredQuery['compare']> {
  const start = (r: ResolvedRange) => DateTime.fromISO(r.start, { zone: clock.zone });
  const year = (r: ResolvedRange) => start(r).year;
  const within = (r: ResolvedRange) =>
    DateTime.fromISO(r.end, { zone: clock.zone }).minus({ milliseconds: 1 }).year === year(r);
  if (target.unit !== 'year' || target.count !== 1 || range.unit === 'year' || !within(range))
    return { range: target, kind: 'explicit' };
  const steps = year(target) - year(range);
  if (steps === 0) return { range: target, kind: 'explicit' };
  return {
    range: shiftRange(clock, range, steps, 'year'),
    kind: steps === -1 ? 'previous_year' : 'explicit',
  };
}

/** How a follow-up opens: "and …", "what about …", "same for …". */
const FOLLOW_UP_OPENING = /^ (and|also|plus|what about|how about|same for|same but|now|then|by) /;
/** "customers (from X) placed orders / ordered / bought …" */
const ORDERING_VERB_AFTER_CUSTOMERS =
  / (customers|clients|buyers) (.* )?(placed|made|ordered|bought|purchased|shopped|(did|do|does) (buy|order|purchase|shop))( |$)/;

function build(
  st: ParseState,
  tokens: string[],
  clock: Clock,
  zone: string,
  previous?: StructuredQuery,
): ParseResult {
  const ranges = st.spans.filter((sp) => sp.range !== null);
  if (ranges.length > 1) return fail('more than one period in the question');
  const text = ` ${tokens.join(' ')} `;
  const chosen = chooseMetric(st, tokens, text);
  if (chosen === 'conflict') return fail('more than one measure in the question');
  if (chosen === 'share-of-count')
    return fail('shares are known of revenue and of orders only ("share of orders by country")');
  // A follow-up with nothing to follow ("and in units?", "what about web?"
  // without context, or after an answer Tier 1 did not give): all time would
  // be a guess at what was meant.
  if (!previous && FOLLOW_UP_OPENING.test(text) && st.spans.length === 0)
    return fail('this reads as a follow-up, but there is no earlier Tier 1 question to follow');
  // "just German orders" after a revenue question: the orders say which, the
  // measure stays; "how many German orders" asks for a count.
  const qualifiesOnly =
    previous &&
    chosen === 'order_count' &&
    st.filters.length > 0 &&
    st.metrics.every((m) => m.weak) &&
    !/ (how many|number of|count|counts) /.test(text);
  let metric = qualifiesOnly ? previous.metric : (chosen ?? previous?.metric ?? null);
  if (!metric) return fail('could not tell what to measure (orders, revenue, units...)');
  // "customers from Brazil placed orders": the verb makes them ordering customers.
  if (metric === 'customer_count' && ORDERING_VERB_AFTER_CUSTOMERS.test(text))
    metric = 'ordering_customers';

  let range: ResolvedRange | null = ranges[0]?.range ?? null;
  const explicitAllTime = st.spans.some((sp) => sp.range === null);
  if (!range && previous && !explicitAllTime) {
    if (st.shift) {
      if (!previous.range) return fail('the earlier question had no period to step from');
      const from = st.shift.whole ? { ...previous.range, toDate: false } : previous.range;
      const unit = st.shift.unit === 'period' ? previous.range.unit : st.shift.unit;
      range = shiftRange(clock, from, st.shift.steps, unit);
    } else {
      range = previous.range;
    }
  } else if (st.shift) {
    return fail('a period and a step from the earlier period at once');
  }

  let filters = previous ? mergeFilters(previous.filters, st.filters, st.clearFilters) : st.filters;
  let groupBy: DimensionId | null =
    st.groupBy ?? (st.autoInterval ? autoInterval(range) : st.rankProducts ? 'product' : null);
  let limit = st.limit;
  if (previous && !st.groupBy && !st.autoInterval) {
    const filteredDims = new Set(
      st.filters.flatMap((f) =>
        f.kind === 'dimension' && !f.negate && f.values.length === 1 ? [f.dimension] : [],
      ),
    );
    // "only Germany" after "revenue by country": one value left, so no breakdown;
    // "exclude Germany" leaves the others, still broken down.
    if (previous.groupBy && !filteredDims.has(previous.groupBy as never)) {
      groupBy = previous.groupBy;
      limit ??= previous.limit;
    }
  }
  if (st.superlative && groupBy && limit === null && (st.groupBy || st.rankProducts))
    limit = st.pluralTarget ? 10 : 1;
  // "which customer placed the largest order": one order, so one customer.
  if (
    metric === 'largest_order' &&
    st.groupBy &&
    !st.pluralTarget &&
    limit === null &&
    / (which|whose) /.test(text)
  )
    limit = 1;
  const direction = st.direction ?? 'desc';
  const sort =
    st.sort ??
    (st.direction || !previous || groupBy !== previous.groupBy
      ? groupBy && isTimeDimension(groupBy) && limit === null
        ? { by: 'label' as const, order: 'asc' as const }
        : { by: 'value' as const, order: direction }
      : previous.sort);

  let compare: StructuredQuery['compare'] = null;
  const ends = st.growth && range && st.compareSpans.length === 0 ? betweenEnds(range) : null;
  if (ends && ends[0].unit && ends[0].unit === ends[1].unit && ends[0].count === ends[1].count) {
    // "how did revenue change from Q2 to Q3": Q3, compared with Q2.
    range = ends[1];
    compare = { range: ends[0], kind: 'explicit' };
  } else if (st.compareSpans.length > 0) {
    const target = st.compareSpans[0]!.range;
    if (!target || st.compareSpans.length > 1)
      return fail('could not tell which period to compare with');
    compare = range ? sameSpanIn(clock, range, target) : { range: target, kind: 'explicit' };
  } else if (st.compareShift) {
    if (!range) return fail('a comparison needs a period, e.g. "last month vs the month before"');
    const length = st.compareShift.length;
    if (length && (length.unit !== range.unit || length.count !== range.count))
      return fail('the period to compare with is not as long as the period asked about');
    const unit = st.compareShift.unit === 'period' ? range.unit : st.compareShift.unit;
    const named = st.compareShift.year;
    const years = named === undefined ? 1 : DateTime.fromISO(range.start, { zone }).year - named;
    if (years === 0) return fail('the period to compare with is the period asked about');
    compare = {
      range: shiftRange(
        clock,
        range,
        -years,
        st.compareShift.kind === 'previous_year' ? 'year' : unit,
      ),
      kind: years === 1 ? st.compareShift.kind : 'explicit',
    };
  } else if (previous?.compare && range) {
    if (previous.compare.kind !== 'explicit') {
      const unit = previous.compare.kind === 'previous_year' ? 'year' : range.unit;
      compare = { range: shiftRange(clock, range, -1, unit), kind: previous.compare.kind };
    } else if (range === previous.range) {
      compare = previous.compare;
    }
  }
  if (compare && !range) return fail('a comparison needs a period');
  // "how are we doing" over all time says nothing: the period makes it a question.
  if (st.howAreWeDoing && !range && metric === 'revenue')
    return fail('say over which period, e.g. "how did we do last month"');
  filters = filters.map((f) =>
    f.kind === 'dimension' ? { ...f, values: [...f.values], labels: [...f.labels] } : { ...f },
  );

  const query: StructuredQuery = {
    version: 1,
    metric,
    groupBy,
    range,
    filters,
    limit,
    sort,
    compare,
    timezone: zone,
    asOf: DateTime.fromJSDate(clock.asOf.toJSDate()).toUTC().toISO() ?? '',
  };
  const problem = checkQuery(query);
  if (problem) return fail(problem);
  return { ok: true, query };
}
