import type { Customer } from '../documents.js';
import type { DemoShopSpec } from './demo-shop.types.js';
import { COMPANY_WORDS, asciiSlug, namePoolFor } from './name-pools.data.js';
import type { SeededRandom } from './seeded-random.js';

const DAY_MS = 86_400_000;

/** A customer as the order loop tracks it (the document plus a B2B flag). */
export interface DemoCustomer {
  doc: Customer;
  isCompany: boolean;
}

/**
 * A new customer at their first order. created_at is that moment or a little
 * before (most sign up at checkout, some weeks earlier via the newsletter), so
 * "new customers" counted by first order and by sign-up agree closely.
 */
export function createCustomer(
  rng: SeededRandom,
  spec: DemoShopSpec,
  id: number,
  country: string,
  firstOrderMs: number,
): DemoCustomer {
  const pool = namePoolFor(country);
  const first = rng.pick(pool.first);
  const last = rng.pick(pool.last);
  const isCompany = rng.chance(spec.companyShare);
  let company: string | null = null;
  // The id in every address keeps emails unique without a lookup table.
  let email: string;
  if (isCompany) {
    const word = rng.pick(COMPANY_WORDS);
    company = `${last} ${word} ${rng.pick(pool.companySuffix)}`;
    email = `${asciiSlug(first)}.${asciiSlug(last)}${id}@${asciiSlug(last + word)}.${pool.tld}`;
  } else {
    email = `${asciiSlug(first)}.${asciiSlug(last)}${id}@${rng.pick(spec.emailDomains)}`;
  }
  const createdMs = rng.chance(0.7)
    ? firstOrderMs - rng.int(1, 900) * 1000
    : firstOrderMs - rng.int(1, 45) * DAY_MS - rng.int(0, 86_399) * 1000;
  return {
    doc: {
      id,
      shop_id: spec.shopId,
      first_name: first,
      last_name: last,
      company,
      email,
      country,
      created_at: new Date(createdMs),
    },
    isCompany,
  };
}
