import { distance } from 'fastest-levenshtein';

/** Lower case, no accents: "Côte" and "cote" must meet. */
export function fold(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

const MONTH_ABBREV: Record<string, string> = {
  jan: 'january',
  feb: 'february',
  mar: 'march',
  apr: 'april',
  jun: 'june',
  jul: 'july',
  aug: 'august',
  sep: 'september',
  sept: 'september',
  oct: 'october',
  nov: 'november',
  dec: 'december',
};

/** Month names, January first. */
export const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** Compounds people write as one word; split so the grammar sees its phrases. */
const COMPOUNDS: Record<string, string> = {
  custs: 'customers',
  tdy: 'today',
  tday: 'today',
  '2day': 'today',
  yday: 'yesterday',
  ystd: 'yesterday',
  prods: 'products',
  prod: 'product',
  frm: 'from',
  cancels: 'cancellations',
  cust: 'customer',
  catalog: 'catalogue',
  bestselling: 'best selling',
  bestseller: 'best selling',
  bestsellers: 'best selling',
  topselling: 'top selling',
  yeartodate: 'year to date',
  monthtodate: 'month to date',
  weektodate: 'week to date',
  quartertodate: 'quarter to date',
  alltime: 'all time',
  lastmonth: 'last month',
  lastweek: 'last week',
  lastyear: 'last year',
  thismonth: 'this month',
  thisyear: 'this year',
  thisweek: 'this week',
  yoy: 'year over year',
  mom: 'month over month',
  wow: 'week over week',
  qoq: 'quarter over quarter',
  dod: 'day over day',
  avg: 'average',
  ytd: 'year to date',
  mtd: 'month to date',
  qtd: 'quarter to date',
  wtd: 'week to date',
  pls: 'please',
  plz: 'please',
  thru: 'through',
  til: 'until',
  till: 'until',
  '&': 'and',
  aov: 'average order value',
  '%': 'percent',
  pct: 'percent',
  percentage: 'percent',
  vs: 'versus',
  v: 'versus',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  cancellations: 'cancellations',
  wk: 'week',
  wks: 'weeks',
  mo: 'month',
  mos: 'months',
  mth: 'month',
  mths: 'months',
  yr: 'year',
  yrs: 'years',
  qtr: 'quarter',
  qtrs: 'quarters',
  '#': 'number of',
  no: 'no',
  // Phone shorthand.
  evr: 'ever',
  n: 'and',
  w: 'with',
  ppl: 'people',
  // Learners' forms and words.
  buyed: 'bought',
  mean: 'average',
  instead: '',
  // One word for the people who buy, so every phrase and name reads the same.
  client: 'customer',
  clients: 'customers',
};

const UNITS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  a: 1,
  dozen: 12,
};
const TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};

/** "twenty one" → "21", "a hundred" → "100", "three" → "3"; "a" alone stays a word. */
function numberWords(tokens: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    const startsNumber =
      (t in UNITS && t !== 'a' && t !== 'dozen') ||
      t in TENS ||
      (t === 'a' &&
        (tokens[i + 1] === 'hundred' || tokens[i + 1] === 'thousand' || tokens[i + 1] === 'dozen'));
    // "which one", "this one": a pronoun, not a count.
    if (
      !startsNumber ||
      (t === 'one' && /^(which|this|that|each|any|no|the)$/.test(out[out.length - 1] ?? ''))
    ) {
      out.push(t);
      continue;
    }
    let total = 0;
    let current = 0;
    let j = i;
    for (; j < tokens.length; j++) {
      const w = tokens[j] as string;
      if (w in TENS) current += TENS[w] as number;
      else if (w === 'dozen') current = (current || 1) * 12;
      else if (w in UNITS && (w !== 'a' || j === i)) current += UNITS[w] as number;
      else if (w === 'hundred') current = (current || 1) * 100;
      else if (w === 'thousand') {
        total += (current || 1) * 1000;
        current = 0;
      } else if (
        w === 'and' &&
        j > i &&
        (tokens[j + 1] ?? '') in UNITS &&
        tokens[j - 1] === 'hundred'
      )
        continue;
      else break;
    }
    out.push(String(total + current));
    i = j - 1;
  }
  return out;
}

/**
 * Turn a question into lower-case tokens: accents folded, possessives and
 * punctuation dropped, numbers in digits ("1,000" and "1.5k" too), currency
 * symbols and ISO dates kept as their own tokens.
 */
export function tokenize(question: string): string[] {
  let s = fold(question)
    .replace(/[‘’´`]/g, "'")
    .replace(/[“”]/g, '"')
    // "weren't" must stay a negation: the apostrophe would leave "weren" and "t".
    .replace(/\b(won|can|shan)'t\b/g, (_m, w: string) =>
      w === 'won' ? 'will not' : w === 'can' ? 'can not' : 'shall not',
    )
    .replace(/(\w)n't\b/g, '$1 not')
    .replace(/(\w)'s\b/g, '$1')
    .replace(/s'(\s|$)/g, 's$1')
    .replace(/'(\d\d)\b/g, '$1');
  s = s.replace(/(\d),(\d{3})\b/g, '$1$2').replace(/(\d),(\d{3})\b/g, '$1$2');
  s = s.replace(/(\d+(?:\.\d+)?)\s?k\b/g, (_m, n: string) => String(Math.round(Number(n) * 1000)));
  s = s.replace(/(\d+(?:\.\d+)?)\s?m\b(?!\w)/g, (_m, n: string) =>
    String(Math.round(Number(n) * 1_000_000)),
  );
  // UK "w/c 15 Dec": the week commencing that day; "turn over" is turnover.
  s = s
    .replace(/\bw\/c\b|\bweek (?:commencing|beginning|starting)(?: on)?\b/g, ' week of ')
    .replace(/\bturn(?:ed)? over\b/g, ' turnover ');
  // "orders >£100", ">= 50": comparison signs are the words they stand for.
  s = s
    .replace(/>=|≥/g, ' at least ')
    .replace(/<=|≤/g, ' at most ')
    .replace(/>/g, ' over ')
    .replace(/</g, ' under ');
  s = s.replace(/([$€£%#&])/g, ' $1 ');
  // Keep ISO dates and d/m/y whole; other hyphens and slashes join words.
  s = s
    .replace(/(\d{4})-(\d{1,2})-(\d{1,2})/g, '$1_$2_$3')
    .replace(/(\d{1,2})\/(\d{1,2})\/(\d{2,4})/g, '$1~$2~$3')
    // "9/2025" is a month; "10/1" a day whose order the shop's locale decides.
    .replace(
      /\b(0?[1-9]|1[0-2])\/((?:19|20)\d\d)\b/g,
      (_m, mo: string, y: string) => ` ${MONTH_NAMES[Number(mo) - 1]} ${y} `,
    )
    .replace(/\b(\d{1,2})\/(\d{1,2})\b(?!~)/g, '$1~$2');
  // "1997-07": a month of a year; "1-15 september": a run of days.
  s = s.replace(
    /\b((?:19|20)\d\d)-(0?[1-9]|1[0-2])\b(?![-_/])/g,
    (_m, y: string, mo: string) => ` ${MONTH_NAMES[Number(mo) - 1]} ${y} `,
  );
  s = s.replace(/\b([0-3]?\d)-([0-3]?\d)\b(?![-_/])/g, '$1 to $2');
  s = s.replace(/(\d)(st|nd|rd|th)\b/g, '$1');
  // "Jan 15 - Jan 31", "3 - 9 March": a spaced dash between dates is "to".
  s = s.replace(
    /(\d)\s+[-–]\s+(?=\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)/g,
    '$1 to ',
  );
  // Phone shorthand for lengths: "last 7d", "past 3w", "12m" stays money (see above).
  s = s.replace(
    /\b(\d+)(d|w)\b/g,
    (_m, n: string, u: string) => `${n} ${u === 'd' ? 'days' : 'weeks'}`,
  );
  s = s
    .replace(/\b(q|h)\s?([1-4])\b/g, '$1$2')
    .replace(/\b(q[1-4]|h[12])-?((?:19|20)\d\d)\b/g, '$1 $2');
  s = s.replace(/((?:19|20)\d\d)-?(q[1-4]|h[12])\b/g, '$1 $2');
  s = s.replace(/(\d)\.(?!\d)/g, '$1 ');
  s = s.replace(/[^a-z0-9$€£%#&._~ ]+/g, ' ').replace(/(^|\s)\.+|\.+(\s|$)/g, ' ');
  s = s.replace(/_/g, '-').replace(/~/g, '/');
  let tokens = s.split(/\s+/).filter(Boolean);
  tokens = tokens.flatMap((t) => (COMPOUNDS[t] ?? MONTH_ABBREV[t] ?? t).split(' ')).filter(Boolean);
  return numberWords(tokens);
}

/**
 * "percent of our sales", "what % of orders were refunded": the catalogue's
 * share and rate phrases with the words people put inside them dropped.
 */
export function simplifyShares(tokens: string[]): string[] {
  const text = ` ${tokens.join(' ')} `
    .replace(
      / (share|percent|proportion|fraction) of (?:all of our|all our|all the|all|our|the|my|total) /g,
      ' $1 of ',
    )
    // "share of web revenue by country", "what share of EIRE revenue came from
    // web": the words before the measure say whose revenue the share is of.
    // They move to the end, after the part the share is taken for, which is
    // the filter a scalar share reads first.
    .replace(
      / (share|percent|proportion|fraction) of ((?:(?!revenue |sales |turnover |orders |of )\S+ ){1,5})(revenue|sales|turnover|orders) (.*)$/,
      (_m, share: string, whose: string, measure: string, rest: string) =>
        / (refunded|cancelled) $/.test(` ${whose}`)
          ? _m
          : ` ${share} of ${measure} ${rest}for ${whose}`,
    )
    .replace(
      / (share|percent|proportion|fraction) of orders (?:that |which )?(?:were|was|are|got|have been|has been|get) (refunded|cancelled) /g,
      ' $1 of orders $2 ',
    );
  return text.trim().split(' ').filter(Boolean);
}

const COMPARATIVES: Record<string, string> = {
  bigger: 'biggest',
  larger: 'largest',
  smaller: 'smallest',
  higher: 'highest',
  lower: 'lowest',
  less: 'least',
  fewer: 'fewest',
  more: 'most',
};

/**
 * Word orders of other languages, put the English way: "the products more
 * sold" and "the countries with more orders" rank (most), unless a "than"
 * follows; "clients new" and "customers we have new" are new customers.
 */
export function englishWordOrder(tokens: string[]): string[] {
  const out = [...tokens];
  for (let i = 0; i < out.length; i++) {
    const next = out[i + 1] ?? '';
    const prev = out[i - 1] ?? '';
    const thanFollows = out.slice(i + 1, i + 4).includes('than');
    // "the bigger order", "sold the less": a comparative standing for the superlative.
    if (prev === 'the' && !thanFollows) {
      const superlative = COMPARATIVES[out[i]!];
      if (superlative) {
        out[i] = superlative;
        continue;
      }
    }
    if (
      out[i] === 'more' &&
      !thanFollows &&
      (/^(sold|ordered|bought|purchased|popular|used|selling|often)$/.test(next) ||
        (prev === 'with' && /^(orders|revenue|sales|units|money|spending|spent)$/.test(next)) ||
        /^(sold|ordered|bought|purchased|selling)$/.test(prev))
    )
      out[i] = 'most';
  }
  const text = ` ${out.join(' ')} `.replace(
    / (customers|clients)(?: (?:that |which |who )?(?:we )?(?:have|got|gained|won|acquired|had))? new /g,
    ' new $1 ',
  );
  return text.trim().split(' ').filter(Boolean);
}

/** Ways people name a time zone, as the tokens they become → IANA zone. */
const ZONE_NAMES: [string, string][] = [
  ['uk', 'Europe/London'],
  ['british', 'Europe/London'],
  ['london', 'Europe/London'],
  ['bst', 'Europe/London'],
  ['utc', 'UTC'],
  ['gmt', 'UTC'],
  ['zulu', 'UTC'],
  ['central european', 'Europe/Berlin'],
  ['cet', 'Europe/Berlin'],
  ['cest', 'Europe/Berlin'],
  ['berlin', 'Europe/Berlin'],
  ['paris', 'Europe/Paris'],
  ['eastern', 'America/New_York'],
  ['east coast', 'America/New_York'],
  ['new york', 'America/New_York'],
  ['est', 'America/New_York'],
  ['edt', 'America/New_York'],
  ['central', 'America/Chicago'],
  ['chicago', 'America/Chicago'],
  ['mountain', 'America/Denver'],
  ['pacific', 'America/Los_Angeles'],
  ['west coast', 'America/Los_Angeles'],
  ['pst', 'America/Los_Angeles'],
  ['pdt', 'America/Los_Angeles'],
  ['sydney', 'Australia/Sydney'],
  ['tokyo', 'Asia/Tokyo'],
];
const ZONE_PHRASE = new RegExp(
  ` (?:in |at |on |using |by )?(?:the )?(${ZONE_NAMES.map(([n]) => n).join('|')})(?: standard| daylight)? (?:time(?: zone)?|timezone|hours)(?= |$)| in (utc|gmt|cet|est|pst|bst)(?= |$)`,
);

/**
 * "orders on 1 July (UK time)", "daily revenue in eastern time": the zone the
 * question's days are counted in, when it names one, and the question without
 * it. Read before typos are fixed ("coast" is a word away from "cost").
 */
export function askedTimeZone(tokens: string[]): { zone: string | null; tokens: string[] } {
  const text = ` ${tokens.join(' ')} `;
  const m = ZONE_PHRASE.exec(text);
  if (!m) return { zone: null, tokens };
  const name = (m[1] ?? m[2])!;
  const zone = ZONE_NAMES.find(([n]) => n === name)![1];
  const rest = `${text.slice(0, m.index)} ${text.slice(m.index + m[0].length)}`;
  return { zone, tokens: rest.trim().split(/\s+/).filter(Boolean) };
}

/**
 * "who placed the biggest order", "tell me who bought the most Chai": the
 * person asked about is a customer. "customers who …" keep their noun.
 */
export function whoAsCustomer(tokens: string[]): string[] {
  const at = tokens.findIndex((t) => t === 'who' || t === 'whom');
  if (at < 0) return tokens;
  const before = tokens.slice(0, at).join(' ');
  if (
    !/^(?:(?:so |and |ok |tell me|show me|find|find out|list|guess|do you know|can you tell me|please tell me) ?)*$/.test(
      before,
    )
  )
    return tokens;
  return [...tokens.slice(0, at), 'which', 'customer', ...tokens.slice(at + 1)];
}

/** Optimal string alignment distance: Levenshtein plus adjacent swaps ("reveune"). */
function typoDistance(a: string, b: string): number {
  const d = distance(a, b);
  if (d !== 2 || a.length !== b.length) return d;
  for (let i = 0; i < a.length - 1; i++) {
    if (a[i] !== b[i]) {
      const swapped = a.slice(0, i) + a[i + 1] + a[i] + a.slice(i + 2);
      return swapped === b ? 1 : d;
    }
  }
  return d;
}

/**
 * Shorthand read only where the shop has no word like it: "cat" is category
 * unless the shop sells a "Cat" something, "val" is value unless a name has it.
 */
const SHORTHAND: Record<string, string> = {
  // Typos a letter away from two words each, resolved by the more likely one.
  wich: 'which',
  unites: 'units',
  wek: 'week',
  mont: 'month',
  hw: 'how',
  wat: 'what',
  val: 'value',
  lst: 'last',
  cat: 'category',
  cats: 'categories',
};

/** English words a letter away from a grammar word ("part"/"past"): never "corrected". */
const NOT_TYPOS = new Set(['part', 'parts', 'pert', 'mask', 'word', 'words']);

/**
 * Correct a typo to the closest word the grammar or the shop's data knows.
 * Short words need the same first letter and only one edit, so an unknown word
 * ("cost") is left alone and reported as unplaced rather than read as "most".
 */
export function correctTypos(tokens: string[], known: ReadonlySet<string>): string[] {
  return tokens.map((t) => {
    if (known.has(t)) return t;
    const short = SHORTHAND[t];
    if (short) return short;
    if (t.length < 4 || NOT_TYPOS.has(t) || !/^[a-z]+$/.test(t)) return t;
    const max = t.length >= 9 ? 2 : 1;
    let best: string | null = null;
    let bestD = max + 1;
    let tie = false;
    for (const k of known) {
      if (Math.abs(k.length - t.length) > max || k.length < 4) continue;
      if (t.length <= 5 && k[0] !== t[0]) continue;
      const d = typoDistance(t, k);
      if (d < bestD) {
        best = k;
        bestD = d;
        tie = false;
      } else if (d === bestD) tie = true;
    }
    // Two equally close words: no way to tell which was meant.
    return best !== null && !tie ? best : t;
  });
}
