import { loadShopVocabulary, type ShopVocabulary } from '../analytics/index.js';
import type { DataStore } from '../data/data-store.js';

/**
 * Each shop's names (products, categories, customers, countries...) for the
 * Tier 1 parser, loaded once per data version: an import bumps the version, so
 * a new product is recognised right after it lands.
 */
export class VocabularyCache {
  private readonly entries = new Map<
    number,
    { version: number; vocabulary: Promise<ShopVocabulary> }
  >();

  constructor(private readonly store: DataStore) {}

  async get(shopId: number): Promise<ShopVocabulary | undefined> {
    const info = await this.store.shopInfo(shopId);
    if (!info) return undefined;
    const cached = this.entries.get(shopId);
    if (cached && cached.version === info.dataVersion) return cached.vocabulary;
    const vocabulary = loadShopVocabulary(this.store, shopId);
    this.entries.set(shopId, { version: info.dataVersion, vocabulary });
    // A failed load must not stick: the next question tries again.
    vocabulary.catch(() => this.entries.delete(shopId));
    return vocabulary;
  }
}
