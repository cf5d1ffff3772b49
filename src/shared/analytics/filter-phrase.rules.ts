import { tokenize } from './question-text.js';
import type { ParseState } from './parse-state.js';
import { distinctiveWords, type EntityEntry, type EntityIndex } from './shop-vocabulary.js';
import { alternation, type TokenStream } from './token-stream.js';

/** Nouns a number can count, where an order-total filter would be a wrong guess. */
const COUNTED =
  /^(?:items?|units?|products?|pieces?|articles?|things?|lines?|skus?|pairs?|bottles?|bags?|boxes?|packs?|orders?|customers?|purchases?|times?|visits?)$/;

/** Currency words and codes around an amount ("50 quid", "USD 250"); the year rule reads them too. */
export const CURRENCY_WORD = '(?:dollars?|usd|euros?|eur|pounds?|gbp|bucks|quid)';

/** Money and stock thresholds: "orders over $100", "fewer than 10 units in stock". */
export function takeAmounts(s: TokenStream, st: ParseState): void {
  const CUR = '(?:\\$|€|£)';
  const NUM = `(?:${CUR}|${CURRENCY_WORD})? ?(\\d+(?:\\.\\d+)?)(?: ${CURRENCY_WORD})?`;
  const STOCK =
    '(?: (?:units?|items?|pieces?))?(?: (?:left|remaining))?(?: (?:in stock|on hand|of stock|in inventory|stock))';
  const OPS: [string, 'gt' | 'gte' | 'lt' | 'lte'][] = [
    [
      'over|above|more than|greater than|bigger than|larger than|higher than|exceeding|in excess of',
      'gt',
    ],
    ['at least|no less than|minimum|min|not less than', 'gte'],
    ['under|below|less than|fewer than|smaller than|lower than', 'lt'],
    ['at most|no more than|up to|maximum|max|not more than', 'lte'],
  ];
  s.take('out of stock|sold out|no stock|zero stock', () => {
    st.filters.push({ kind: 'amount', field: 'stock_quantity', op: 'lte', value: 0 });
  });
  // "more than 3 items" counts things, it is no money amount: left unplaced.
  const countsThings = (to: number, stock: boolean) => !stock && COUNTED.test(s.tokens[to] ?? '');
  for (const [words, op] of OPS) {
    s.take(
      `(stock (?:level |quantity )?(?:of |is |that is )?)?(?:${words}) ${NUM}(${STOCK})?`,
      (m, from, to) => {
        const stock = Boolean(m[1] || m[3]);
        if (countsThings(to, stock)) return false;
        // "customers who spent more than £10,000": a threshold on each one's total,
        // which no order-total filter expresses.
        if (
          !stock &&
          /^(spent|spend|spends|spending|paid|bought|purchased)$/.test(s.tokens[from - 1] ?? '')
        ) {
          st.problems.push(
            'a threshold on what each customer spent in total is not in the catalogue (order totals are: "orders over 100")',
          );
          return true;
        }
        const field = stock ? 'stock_quantity' : 'grand_total';
        st.filters.push({ kind: 'amount', field, op, value: Number(m[2]) });
        return true;
      },
    );
  }
  s.take(
    `${NUM} (or more|or above|and above|and up|or over|plus|or less|or fewer|or below|and below|or under)(${STOCK})?`,
    (m, _from, to) => {
      if (countsThings(to, Boolean(m[3]))) return false;
      const op = /more|above|up|over|plus/.test(m[2]!) ? 'gte' : 'lte';
      st.filters.push({
        kind: 'amount',
        field: m[3] ? 'stock_quantity' : 'grand_total',
        op,
        value: Number(m[1]),
      });
      return true;
    },
  );
  s.take(
    `(?:between|from) ${CUR} ?(\\d+(?:\\.\\d+)?)(?: ${CURRENCY_WORD})? (?:and|to) ${CUR}? ?(\\d+(?:\\.\\d+)?)(?: ${CURRENCY_WORD})?|(?:between|from) (\\d+(?:\\.\\d+)?) (?:and|to) (\\d+(?:\\.\\d+)?) ${CURRENCY_WORD}`,
    (m) => {
      const lo = Number(m[1] ?? m[3]);
      const hi = Number(m[2] ?? m[4]);
      if (!(hi >= lo)) return false;
      st.filters.push(
        { kind: 'amount', field: 'grand_total', op: 'gte', value: lo },
        { kind: 'amount', field: 'grand_total', op: 'lte', value: hi },
      );
      return true;
    },
  );
  s.take('in stock|with stock|available', (_m, from) => {
    // "units in stock" is the stock metric, not a filter.
    if (/^(units?|items?|pieces?|quantity|much|many)$/.test(s.tokens[from - 1] ?? '')) return false;
    st.filters.push({ kind: 'amount', field: 'stock_quantity', op: 'gt', value: 0 });
    return true;
  });
}

/** Words that start a period ("in October", "on the 3rd", "in 2025", "in the last week"). */
const PERIOD_START =
  /^(\d+|the|this|last|past|previous|q[1-4]|h[12]|january|february|march|april|may|june|july|august|september|october|november|december|today|yesterday|week|month|quarter|year)$/;

const NEGATION =
  /^(excluding|exclude|except|without|not|non|other than|outside|outside of|apart from|but not|besides|minus|ignoring|ignore|no|excl|not counting|leaving out|leave out)$/;
const CONTEXT_BEFORE =
  /^(category|product|products|customer|client|company|channel|country|via|through|using|paid by|paid with|paid via|paid using|paid in|paying with|paying by|paying in|pay with|pay in|payment method|payment|by|with|in the|the|from the|via the|through the|using the|from customer|for customer|country of|shipped to|delivered to|sent to|shipping to|going to|shipped to the|delivered to the|sent to the|shipping to the|going to the)$/;
const CONTEXT_AFTER =
  /^(category|categories|products|product|channel|orders via|customer|country|payments|payment|department)$/;

function pushEntity(st: ParseState, e: EntityEntry, negate: boolean): void {
  const existing = st.filters.find(
    (f) => f.kind === 'dimension' && f.dimension === e.dimension && f.negate === negate,
  );
  if (existing && existing.kind === 'dimension') {
    if (!existing.values.includes(e.value)) {
      existing.values.push(e.value);
      existing.labels.push(e.label);
    }
    return;
  }
  st.filters.push({
    kind: 'dimension',
    dimension: e.dimension,
    values: [e.value],
    labels: [e.label],
    negate,
  });
}

/** Where each negated entity of a question ends, so "excluding X and Y" negates Y too. */
const NEGATED_ENDS = new WeakMap<TokenStream, Set<number>>();

/** Mark context words around an entity ("the Beverages category") and spot a negation before it. */
function claimContext(s: TokenStream, from: number, to: number): boolean {
  const claimed = claimWords(s, from, to);
  if (claimed.negate) {
    const ends = NEGATED_ENDS.get(s) ?? new Set<number>();
    ends.add(claimed.end);
    NEGATED_ENDS.set(s, ends);
  }
  return claimed.negate;
}

function claimWords(s: TokenStream, from: number, to: number): { negate: boolean; end: number } {
  let negate = false;
  let end = to;
  for (let k = 3; k >= 1; k--) {
    const before = s.tokens.slice(from - k, from).join(' ');
    if (
      from - k >= 0 &&
      s.tokens.slice(from - k, from).every((_, i) => s.at(from - k + i)) &&
      CONTEXT_BEFORE.test(before)
    ) {
      for (let i = from - k; i < from; i++) s.mark(i);
      from -= k;
      break;
    }
  }
  // "how many Storage products", "top 3 Beverages products": "products" is what
  // is counted or ranked, not a context word.
  const counted =
    /^(how many|(?:top|bottom|best|worst|first) \d+|\d+ (?:top|bottom|best|worst))$/.test(
      s.tokens.slice(from - 2, from).join(' '),
    );
  for (let k = 2; k >= 1; k--) {
    const after = s.tokens.slice(to, to + k).join(' ');
    if (counted && /^products?$/.test(after)) continue;
    if (
      to + k <= s.tokens.length &&
      s.tokens.slice(to, to + k).every((_, i) => s.at(to + i)) &&
      CONTEXT_AFTER.test(after)
    ) {
      for (let i = to; i < to + k; i++) s.mark(i);
      end = to + k;
      break;
    }
  }
  // "not from Germany", "excluding orders from France": a negation up to three words back.
  for (let i = from - 1; i >= Math.max(0, from - 4); i--) {
    const w = s.at(i);
    const two = `${s.at(i - 1)} ${w}`;
    if (NEGATION.test(w) || NEGATION.test(two)) {
      s.mark(i);
      if (NEGATION.test(two)) s.mark(i - 1);
      negate = true;
      break;
    }
    if (
      !/^(from|in|for|to|the|orders|order|sales|customers|by|via|come|came|coming|any|include|includes|included|contain|contains|contained|have|has|had|with)$/.test(
        w,
      ) &&
      w !== ''
    )
      break;
  }
  // "excluding Germany and the USA": the negation reaches over "and"/"or".
  const ends = NEGATED_ENDS.get(s);
  for (let i = from - 1; !negate && ends && i >= 0; i--) {
    if (ends.has(i + 1) && i + 1 < from) negate = true;
    else if (!/^(and|or|nor|the|also)$/.test(s.tokens[i] ?? '')) break;
  }
  return { negate, end };
}

/** Names from the shop's data (and built-in countries, channels, payment methods). */
interface EntityLookup {
  phrases: Set<string>;
  maxWords: number;
  partial: Map<string, EntityEntry>;
}
const LOOKUPS = new WeakMap<EntityIndex, EntityLookup>();

/** What matching needs from a shop's index, built once per index (per data version). */
function entityLookup(index: EntityIndex, grammarWords: ReadonlySet<string>): EntityLookup {
  let lookup = LOOKUPS.get(index);
  if (!lookup) {
    const phrases = new Set(
      [...index.keys()].filter((p) => !grammarWords.has(p) || p.includes(' ')),
    );
    const maxWords = Math.max(0, ...[...phrases].map((p) => p.split(' ').length));
    lookup = { phrases, maxWords, partial: distinctiveWords(index, grammarWords) };
    LOOKUPS.set(index, lookup);
  }
  return lookup;
}

export function takeEntities(
  s: TokenStream,
  st: ParseState,
  index: EntityIndex,
  grammarWords: ReadonlySet<string>,
): void {
  const { phrases, maxWords, partial } = entityLookup(index, grammarWords);
  if (phrases.size > 0) {
    s.takeKnown(phrases, maxWords, (phrase, from, to) => {
      let entries = index.get(phrase) ?? [];
      if (entries.length > 1) {
        // Same name in two dimensions: the word next to it decides ("Tofu category").
        const around = `${s.tokens[from - 1] ?? ''} ${s.tokens[to] ?? ''}`;
        const hinted = entries.filter((e) =>
          around.includes(e.dimension === 'payment_method' ? 'pa' : e.dimension),
        );
        if (hinted.length > 0) entries = hinted;
      }
      const dims = new Set(entries.map((e) => e.dimension));
      if (dims.size !== 1) {
        st.problems.push(`"${phrase}" names more than one thing`);
        return true;
      }
      const negate = claimContext(s, from, to);
      for (const e of entries) pushEntity(st, e, negate);
      return true;
    });
  }
  if (partial.size > 0) {
    s.takeKnown(partial, 1, (word, from, to) => {
      const e = partial.get(word);
      if (!e) return false;
      // "Harbour Lights" for "Harbour Lights Store Ltd" when another customer is
      // a "Harbour" too: the distinctive word brings the words of the same name
      // next to it.
      const words = new Set(tokenize(e.label));
      let start = from;
      while (start > 0 && s.at(start - 1) && words.has(s.tokens[start - 1]!)) s.mark(--start);
      let end = to;
      while (s.at(end) && words.has(s.tokens[end]!)) s.mark(end++);
      pushEntity(st, e, claimContext(s, start, end));
      return true;
    });
  }
}

const ORDER_STATUS_WORDS: Record<string, string> = {
  pending: 'pending',
  unpaid: 'pending',
  paid: 'paid',
  shipped: 'shipped',
  delivered: 'delivered',
  cancelled: 'cancelled',
  refunded: 'refunded',
  // "how many orders did X cancel"
  cancel: 'cancelled',
};
const PRODUCT_STATUS_WORDS: Record<string, string> = {
  active: 'active',
  draft: 'draft',
  drafts: 'draft',
  archived: 'archived',
  inactive: 'archived',
};

export function takeStatuses(s: TokenStream, st: ParseState): void {
  const words = alternation([
    ...Object.keys(ORDER_STATUS_WORDS),
    ...Object.keys(PRODUCT_STATUS_WORDS),
  ]);
  s.take(
    `(?:(?:in|with|of|having) )?(?:(?:a |the )?(?:status|state) (?:of |is |as |= )?)?(not |not including |not counting |excluding |excl |except |except for |without |other than |but not |apart from |ignoring |minus |leaving out )?(?:the |any |all )?(${words})(?: (?:or|and) (${words}))?(?: (?:status|state))?`,
    (m, from, to) => {
      const list = [m[2]!, ...(m[3] ? [m[3]] : [])];
      // "cancel rate" is the measure, not the status.
      if (list.includes('cancel') && /^(rate|ratio|percent|share)$/.test(s.tokens[to] ?? ''))
        return false;
      void from;
      const isProduct = list.every((w) => w in PRODUCT_STATUS_WORDS);
      // "active customers" is a metric of its own (customers who ordered).
      if (isProduct && /^(customers?|clients?|buyers?|shoppers?)$/.test(s.tokens[to] ?? ''))
        return false;
      if (!isProduct && !list.every((w) => w in ORDER_STATUS_WORDS)) return false;
      // "paid in cash", "paid with klarna": how it was paid, not the status.
      // ("paid in October" still reads as the status, over a period.)
      const [next, after] = [s.tokens[to] ?? '', s.tokens[to + 1] ?? ''];
      if (
        list.includes('paid') &&
        /^(in|with|by|via|using|through|on)$/.test(next) &&
        !(/^(in|on)$/.test(next) && PERIOD_START.test(after))
      )
        return false;
      const values = list.map(
        (w) => (isProduct ? PRODUCT_STATUS_WORDS[w] : ORDER_STATUS_WORDS[w]) as string,
      );
      st.filters.push({
        kind: 'dimension',
        dimension: isProduct ? 'product_status' : 'status',
        values,
        labels: values,
        negate: Boolean(m[1]),
      });
      return true;
    },
  );
}
