import type { CollectionName, ShopDocuments } from './documents.js';

/** A plain aggregation stage, as MongoDB takes it. */
export type PipelineStage = Record<string, unknown>;
export type Pipeline = PipelineStage[];

export interface AggregateOptions {
  /** Abort the run after this long (MongoDB: maxTimeMS). */
  timeoutMs?: number;
  /** Refuse results with more rows than this (the row cap of DESIGN.md). */
  maxRows?: number;
  /**
   * Refuse results larger than this many bytes (JSON; BSON on MongoDB): one
   * row can hold a whole collection (`$push: "$$ROOT"`), which a row cap
   * does not see.
   */
  maxBytes?: number;
  /**
   * The pipeline was written by a model (Tier 2): passing the guard, it is
   * still run where it can neither hang the process nor change stored data.
   * MongoDB enforces that on the server (maxTimeMS, read-only stages); the
   * embedded store runs it in a sandbox process it can kill.
   */
  untrusted?: boolean;
}

export interface ShopDataInfo {
  shopId: number;
  counts: Record<CollectionName, number>;
  /** Bumped by every import; part of every cache key. */
  dataVersion: number;
  /** Most common order currency, used to format money. */
  currency: string | null;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
}

/**
 * The one interface both adapters implement: MongoDB through the official driver
 * (production) and the embedded in-process store (default, tests, CI).
 *
 * Every pipeline handed to `aggregate` must start with `{ $match: { shop_id } }`
 * for the same shop as `shopId`; adapters refuse anything else, so no caller can
 * read across shops by mistake. The embedded store uses that first `$match`
 * (shop and `created_at` bounds) to narrow the documents before running the rest.
 */
export interface DataStore {
  readonly kind: 'mongodb' | 'embedded';
  aggregate(
    shopId: number,
    collection: CollectionName,
    pipeline: Pipeline,
    options?: AggregateOptions,
  ): Promise<Record<string, unknown>[]>;
  /**
   * Replace all of one shop's documents at once: readers see the old data or the
   * new, never a mix, and a failure leaves the old data in place.
   */
  replaceShop(shopId: number, docs: ShopDocuments): Promise<ShopDataInfo>;
  /** Counts, data version and currency of one shop; null when it has no data. */
  shopInfo(shopId: number): Promise<ShopDataInfo | null>;
  listShops(): Promise<number[]>;
  /** A few real documents of the shop (for the LLM prompt). */
  sample(shopId: number, collection: CollectionName, n: number): Promise<Record<string, unknown>[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
