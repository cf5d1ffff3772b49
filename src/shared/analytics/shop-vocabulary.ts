import type { DataStore } from '../data/data-store.js';
import { fold, tokenize } from './question-text.js';
import type { FilterDimension } from './structured-query.js';

/**
 * The values a shop's data actually holds. The parser reads "Chai", "Beverages"
 * or "Ernst Handel" only through this: a question is matched against the shop's
 * own names, never against guesses. Load it once per data version and pass it in
 * ParseContext.
 */
export interface ShopVocabulary {
  countries: string[];
  channels: string[];
  paymentMethods: string[];
  categories: string[];
  products: string[];
  customers: { id: string | number; label: string }[];
}

export async function loadShopVocabulary(
  store: DataStore,
  shopId: number,
): Promise<ShopVocabulary> {
  const [orderVals, lineVals, productVals, customers] = await Promise.all([
    store.aggregate(shopId, 'order', [
      { $match: { shop_id: shopId } },
      {
        $group: {
          _id: null,
          countries: { $addToSet: '$country' },
          channels: { $addToSet: '$channel' },
          payments: { $addToSet: '$payment_method' },
        },
      },
    ]),
    store.aggregate(shopId, 'order', [
      { $match: { shop_id: shopId } },
      { $unwind: '$items' },
      {
        $group: {
          _id: null,
          names: { $addToSet: '$items.name' },
          categories: { $addToSet: '$items.category' },
        },
      },
    ]),
    store.aggregate(shopId, 'product', [
      { $match: { shop_id: shopId } },
      {
        $group: {
          _id: null,
          names: { $addToSet: '$name' },
          categories: { $addToSet: '$category' },
        },
      },
    ]),
    store.aggregate(shopId, 'customer', [
      { $match: { shop_id: shopId } },
      { $project: { _id: 0, id: 1, company: 1, first_name: 1, last_name: 1 } },
    ]),
  ]);
  const strings = (row: Record<string, unknown> | undefined, key: string): string[] =>
    ((row?.[key] as unknown[] | undefined) ?? []).filter(
      (v): v is string => typeof v === 'string' && v.trim() !== '',
    );
  const uniq = (...lists: string[][]): string[] => [...new Set(lists.flat())].sort();
  const channels = uniq(strings(orderVals[0], 'channels'));
  const payments = uniq(strings(orderVals[0], 'payments'));
  const sameOrders = await sameOrdersBothWays(store, shopId, channels, payments);
  return {
    countries: uniq(strings(orderVals[0], 'countries')),
    channels,
    paymentMethods: payments.filter((p) => !sameOrders.has(p)),
    categories: uniq(strings(lineVals[0], 'categories'), strings(productVals[0], 'categories')),
    products: uniq(strings(lineVals[0], 'names'), strings(productVals[0], 'names')),
    customers: customers.flatMap((c) => {
      const label = customerLabel(c);
      return label && (typeof c.id === 'string' || typeof c.id === 'number')
        ? [{ id: c.id, label }]
        : [];
    }),
  };
}

/**
 * Values that are both a channel and a payment method ("marketplace") and pick
 * exactly the same orders either way: the name can stand for the channel
 * alone, since the answer is the same. Where the two differ the name stays
 * ambiguous and a question that uses it bare is refused.
 */
async function sameOrdersBothWays(
  store: DataStore,
  shopId: number,
  channels: string[],
  payments: string[],
): Promise<Set<string>> {
  const shared = channels.filter((c) => payments.includes(c));
  if (shared.length === 0) return new Set();
  const pairs = await store.aggregate(shopId, 'order', [
    {
      $match: {
        shop_id: shopId,
        $or: [{ channel: { $in: shared } }, { payment_method: { $in: shared } }],
      },
    },
    { $group: { _id: { c: '$channel', p: '$payment_method' } } },
  ]);
  const mixed = new Set<unknown>();
  for (const row of pairs) {
    const { c, p } = row._id as { c: unknown; p: unknown };
    if (c !== p) {
      mixed.add(c);
      mixed.add(p);
    }
  }
  return new Set(shared.filter((v) => !mixed.has(v)));
}

/** DESIGN.md: a customer is labelled by company when it has one, else by full name. */
export function customerLabel(c: Record<string, unknown>): string {
  const company = typeof c.company === 'string' ? c.company.trim() : '';
  if (company) return company;
  return [c.first_name, c.last_name]
    .filter((s) => typeof s === 'string' && s.trim())
    .join(' ')
    .trim();
}

/** Canonical country → other ways people and data write it. */
const COUNTRY_ALIASES: Record<string, string[]> = {
  'United States': [
    'usa',
    'us',
    'the us',
    'the u s',
    'the usa',
    'u s',
    'u s a',
    'united states of america',
    'america',
    'the states',
    'american',
    'americans',
  ],
  'United Kingdom': ['uk', 'the uk', 'u k', 'gb', 'great britain', 'britain', 'england', 'british'],
  Germany: ['de', 'deutschland', 'german', 'germans'],
  France: ['fr', 'french'],
  Spain: ['es', 'spanish'],
  Italy: ['it', 'italian'],
  Netherlands: ['nl', 'holland', 'the netherlands', 'dutch'],
  Belgium: ['be', 'belgian'],
  Austria: ['at', 'austrian'],
  Switzerland: ['ch', 'swiss'],
  Sweden: ['se', 'swedish'],
  Norway: ['no', 'norwegian'],
  Denmark: ['dk', 'danish'],
  Finland: ['fi', 'finnish'],
  Ireland: ['ie', 'irish', 'eire', 'republic of ireland'],
  Portugal: ['pt', 'portuguese'],
  Poland: ['pl', 'polish'],
  Canada: ['ca', 'canadian'],
  Mexico: ['mx', 'mexican'],
  Brazil: ['br', 'brazilian'],
  Argentina: ['ar', 'argentinian', 'argentine'],
  Venezuela: ['ve', 'venezuelan'],
  Australia: ['au', 'australian'],
  'New Zealand': ['nz'],
  Japan: ['jp', 'japanese'],
  China: ['cn', 'chinese'],
  India: ['in', 'indian'],
  Singapore: ['sg'],
  'South Korea': ['kr', 'korea'],
  'Czech Republic': ['cz', 'czechia', 'czech'],
  Greece: ['gr', 'greek'],
  Turkey: ['tr', 'turkish'],
  'South Africa': ['za'],
  Chile: ['cl', 'chilean'],
  Colombia: ['co', 'colombian'],
  Peru: ['pe'],
  Hungary: ['hu', 'hungarian'],
  Romania: ['ro', 'romanian'],
  Luxembourg: ['lu'],
  Iceland: ['is', 'icelandic'],
  Israel: ['il', 'israeli'],
  'United Arab Emirates': ['uae', 'ae', 'emirates'],
  Russia: ['ru', 'russian federation', 'russian'],
  Ukraine: ['ua', 'ukrainian'],
  Slovakia: ['sk', 'slovak'],
  Slovenia: ['si', 'slovenian'],
  Croatia: ['hr', 'croatian'],
  Bulgaria: ['bg', 'bulgarian'],
  Serbia: ['rs', 'serbian'],
  Lithuania: ['lt', 'lithuanian'],
  Latvia: ['lv', 'latvian'],
  Estonia: ['ee', 'estonian'],
  Cyprus: ['cy', 'cypriot'],
  Malta: ['mt', 'maltese'],
  'Hong Kong': ['hk'],
  Taiwan: ['tw', 'taiwanese'],
  Thailand: ['th', 'thai'],
  Malaysia: ['my', 'malaysian'],
  Indonesia: ['id', 'indonesian'],
  Philippines: ['ph', 'filipino', 'the philippines'],
  Vietnam: ['vn', 'viet nam', 'vietnamese'],
  Pakistan: ['pk', 'pakistani'],
  Bangladesh: ['bd'],
  'Saudi Arabia': ['sa', 'saudi'],
  Qatar: ['qa'],
  Kuwait: ['kw'],
  Egypt: ['eg', 'egyptian'],
  Nigeria: ['ng', 'nigerian'],
  Kenya: ['ke', 'kenyan'],
  Morocco: ['ma', 'moroccan'],
  Uruguay: ['uy'],
  Ecuador: ['ec'],
  'Costa Rica': ['cr'],
  'Puerto Rico': ['pr'],
};
/** Two-letter codes clash with English words ("us", "it", "in"): matched only from data values. */
const SAFE_COUNTRY_ALIAS = (a: string): boolean => a.length > 2 || a === 'uk' || a === 'u s';

const CHANNEL_GROUPS = [
  [
    'web',
    'online',
    'website',
    'webshop',
    'web shop',
    'internet',
    'ecommerce',
    'e commerce',
    'online store',
    'web store',
  ],
  ['phone', 'telephone', 'by phone', 'phone orders', 'call'],
  ['mobile', 'app', 'mobile app', 'ios', 'android'],
  ['pos', 'in store', 'store', 'retail', 'offline', 'point of sale', 'shop'],
  ['marketplace', 'marketplaces', 'amazon', 'ebay'],
  ['email', 'e mail', 'mail'],
  ['social', 'social media', 'instagram', 'facebook'],
];
const PAYMENT_GROUPS = [
  ['card', 'cards', 'credit card', 'credit cards', 'debit card', 'creditcard'],
  ['paypal', 'pay pal'],
  ['invoice', 'invoices', 'on invoice', 'bill'],
  ['bank transfer', 'bank_transfer', 'transfer', 'wire', 'wire transfer', 'bank'],
  ['cash', 'cash on delivery', 'cod'],
  ['klarna'],
  ['apple pay', 'apple_pay', 'applepay'],
  ['google pay', 'google_pay'],
  ['gift card', 'gift_card', 'voucher'],
  ['sepa', 'direct debit', 'sepa direct debit'],
];

export interface EntityEntry {
  dimension: FilterDimension;
  value: string | number;
  label: string;
}

/** Phrase (normalised tokens joined) → the entities it names. */
export type EntityIndex = Map<string, EntityEntry[]>;

function phraseOf(s: string): string {
  return tokenize(s.replace(/_/g, ' ')).join(' ');
}

function add(index: EntityIndex, phrase: string, entry: EntityEntry): void {
  if (!phrase) return;
  const list = index.get(phrase) ?? [];
  if (!list.some((e) => e.dimension === entry.dimension && e.value === entry.value))
    list.push(entry);
  index.set(phrase, list);
}

function addGroups(
  index: EntityIndex,
  dimension: FilterDimension,
  groups: string[][],
  values: string[] | null,
): void {
  if (values) {
    // A word that is itself one of the shop's values names that value only:
    // "amazon" is the shop's amazon channel, not every marketplace it has.
    const own = new Set(values.map(phraseOf));
    for (const v of values) {
      const p = phraseOf(v);
      add(index, p, { dimension, value: v, label: v });
      const group = groups.find((g) => g.some((w) => phraseOf(w) === p));
      for (const w of group ?? []) {
        const synonym = phraseOf(w);
        if (!own.has(synonym)) add(index, synonym, { dimension, value: v, label: v });
      }
    }
    return;
  }
  for (const g of groups)
    for (const w of g)
      add(index, phraseOf(w), { dimension, value: g[0] as string, label: g[0] as string });
}

/** Every name the parser can recognise for this shop. */
export function buildEntityIndex(vocab: ShopVocabulary | undefined): EntityIndex {
  const index: EntityIndex = new Map();
  const canonicalByPhrase = new Map<string, string>();
  for (const [name, aliases] of Object.entries(COUNTRY_ALIASES)) {
    canonicalByPhrase.set(phraseOf(name), name);
    for (const a of aliases) canonicalByPhrase.set(phraseOf(a), name);
  }
  if (vocab) {
    for (const v of vocab.countries) {
      const p = phraseOf(v);
      add(index, p, { dimension: 'country', value: v, label: v });
      const canonical = canonicalByPhrase.get(p);
      if (!canonical) continue;
      add(index, phraseOf(canonical), { dimension: 'country', value: v, label: v });
      for (const a of COUNTRY_ALIASES[canonical] ?? [])
        if (SAFE_COUNTRY_ALIAS(a))
          add(index, phraseOf(a), { dimension: 'country', value: v, label: v });
    }
  } else {
    for (const [name, aliases] of Object.entries(COUNTRY_ALIASES)) {
      add(index, phraseOf(name), { dimension: 'country', value: name, label: name });
      for (const a of aliases)
        if (SAFE_COUNTRY_ALIAS(a))
          add(index, phraseOf(a), { dimension: 'country', value: name, label: name });
    }
  }
  addGroups(index, 'channel', CHANNEL_GROUPS, vocab ? vocab.channels : null);
  addGroups(index, 'payment_method', PAYMENT_GROUPS, vocab ? vocab.paymentMethods : null);
  for (const c of vocab?.categories ?? [])
    add(index, phraseOf(c), { dimension: 'category', value: c, label: c });
  const products = vocab?.products ?? [];
  const fullNames = new Set(products.map(phraseOf));
  for (const p of products) {
    add(index, phraseOf(p), { dimension: 'product', value: p, label: p });
    // "Wool Socks" for "Wool Socks (3-Pack)": the name without its bracketed
    // pack size or variant, unless another product is called exactly that. Two
    // products sharing the short name make it ambiguous, and it is refused.
    const short = /^(.+?)\s*\([^()]*\)$/.exec(p.trim())?.[1];
    if (short && !fullNames.has(phraseOf(short)) && phraseOf(short).length > 2)
      add(index, phraseOf(short), { dimension: 'product', value: p, label: p });
  }
  const customerNames = new Set((vocab?.customers ?? []).map((c) => phraseOf(c.label)));
  for (const c of vocab?.customers ?? []) {
    const entry = { dimension: 'customer' as const, value: c.id, label: c.label };
    add(index, phraseOf(c.label), entry);
    // "Kensington Emporium" for "Kensington Emporium Ltd", "Cosy Nook" for "The
    // Cosy Nook": a company without its legal form or article, unless another
    // customer is called exactly that.
    const short = companyCore(c.label);
    if (short !== phraseOf(c.label) && short.length > 2 && !customerNames.has(short))
      add(index, short, entry);
  }
  return index;
}

const LEGAL_FORM =
  / (ltd|limited|llc|l l c|inc|incorporated|corp|corporation|co|company|gmbh|ag|kg|sa|sas|sarl|srl|spa|bv|nv|ab|as|oy|plc|pty|pty ltd|lp|llp)$/;

/** A company name as people say it: no leading "the", no trailing legal form ("& co" too). */
function companyCore(name: string): string {
  let p = phraseOf(name).replace(/^the /, '');
  for (let i = 0; i < 2; i++) p = p.replace(LEGAL_FORM, '').replace(/ (and|&) co$/, '');
  return p;
}

/**
 * Words that on their own name exactly one product or customer ("Raclette" for
 * "Raclette Courdavault"). Words shared by several names are left out: a
 * partial name that fits two entities is not a match.
 */
export function distinctiveWords(
  index: EntityIndex,
  grammarWords: ReadonlySet<string>,
): Map<string, EntityEntry> {
  const seen = new Map<string, EntityEntry | null>();
  for (const [phrase, entries] of index) {
    for (const e of entries) {
      if (e.dimension !== 'product' && e.dimension !== 'customer' && e.dimension !== 'category')
        continue;
      for (const w of new Set(phrase.split(' '))) {
        if (w.length < 4 || grammarWords.has(w) || /^\d/.test(w)) continue;
        const prev = seen.get(w);
        seen.set(
          w,
          prev === undefined || (prev && prev.value === e.value && prev.dimension === e.dimension)
            ? e
            : null,
        );
      }
    }
  }
  return new Map(
    [...seen].filter((kv): kv is [string, EntityEntry] => kv[1] !== null && !index.has(kv[0])),
  );
}

export function foldedEquals(a: string, b: string): boolean {
  return fold(a) === fold(b);
}
