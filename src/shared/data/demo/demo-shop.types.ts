/** A value with a relative weight; weights need not sum to 1. */
export interface Weighted<T> {
  value: T;
  weight: number;
}

export interface DemoCountry {
  name: string;
  weight: number;
  /** Sales tax / VAT charged on subtotal - discount + shipping, as a fraction. */
  taxRate: number;
}

export interface DemoCategory {
  name: string;
  /** Relative chance that an order line comes from this category. */
  weight: number;
  /** SKU prefix, three letters. */
  code: string;
  productCount: number;
  /** Retail price range in major units; prices end in .95/.99/.00 like real tags. */
  priceRange: [number, number];
  /** Product names are "<modifier> <noun>". */
  modifiers: string[];
  nouns: string[];
  /** Extra units per line are likelier for consumables (coffee, seeds). */
  bulky?: boolean;
}

/** Which effects are planted and how strong; see planted-effects.model.ts. */
export interface DemoPlantedSpec {
  /** Category whose lines mostly vanish in the calendar month before endDate's. */
  collapseCategory: string;
  /** Fraction of that category's lines kept during the collapse (0.22 → -78%). */
  collapseKeep: number;
  /** Country whose order share ramps up over the last ~6 months. */
  growthCountry: string;
  /** Its weight multiplier at endDate (1 at the ramp start). */
  growthEndMultiplier: number;
  /** Category of the product that goes viral on the spike day. */
  spikeCategory: string;
  /** Orders on the spike day relative to a normal day. */
  spikeMultiplier: number;
}

export interface DemoShopSpec {
  shopId: number;
  name: string;
  seed: number;
  currency: string;
  timezone: string;
  /** Average orders per day over the whole window. */
  ordersPerDay: number;
  /** Year-over-year growth of order volume, as a fraction (0.3 = +30%/year). */
  yearlyGrowth: number;
  /** Domestic country: cheaper shipping, and most customers. */
  homeCountry: string;
  countries: DemoCountry[];
  channels: Weighted<string>[];
  paymentMethods: Weighted<string>[];
  categories: DemoCategory[];
  /** Share of new customers that buy for a company. */
  companyShare: number;
  /** Shipping fees in major units, and the order value above which shipping is free. */
  shipping: { domestic: number; international: number; freeAbove: number };
  emailDomains: string[];
  planted: DemoPlantedSpec;
}

/**
 * Machine-readable account of what `generateShop` planted, so tests (and Tier 3's
 * acceptance tests) can assert the analysis finds it. All instants are UTC Dates;
 * months and days are the shop's local calendar.
 */
export interface PlantedEffects {
  shopId: number;
  timezone: string;
  endDate: Date;
  /** "Last month" relative to endDate in the shop's time zone. */
  lastMonth: { label: string; start: Date; end: Date };
  /** The month before that, the natural comparison period. */
  previousMonth: { label: string; start: Date; end: Date };
  categoryCollapse: {
    category: string;
    month: string;
    start: Date;
    end: Date;
    /** Expected change of that category's revenue vs a normal month, in percent. */
    expectedChangePct: number;
    story: string;
  };
  countryGrowth: {
    country: string;
    /** The ramp runs linearly from start (×1) to end (×endMultiplier). */
    start: Date;
    end: Date;
    endMultiplier: number;
    /** The country's order share before the ramp, in percent. */
    baseSharePct: number;
    /** Its share at endDate, in percent (about three times the base). */
    endSharePct: number;
    story: string;
  };
  orderSpike: {
    /** Local calendar day, YYYY-MM-DD. */
    date: string;
    start: Date;
    end: Date;
    orderMultiplier: number;
    productId: number;
    productName: string;
    category: string;
    story: string;
  };
}
