import { ChromaClient, type Collection, type Where } from 'chromadb';
import { AppError } from '../errors/app-error.js';

export const VECTOR_KINDS = ['product', 'digest', 'answer', 'example'] as const;
export type VectorKind = (typeof VECTOR_KINDS)[number];

/** Shop id of the shared seed set (few-shot examples every shop may use). */
export const SHARED_SHOP_ID = 0;

export interface VectorDoc {
  /** Stable within (shop, kind): re-indexing the same thing overwrites it. */
  key: string;
  text: string;
  embedding: number[];
  /** Extra scalar metadata; shop_id and kind are always set by the store. */
  metadata?: Record<string, string | number | boolean>;
}

export interface VectorHit {
  id: string;
  shopId: number;
  kind: VectorKind;
  text: string;
  /** Cosine distance (0 = same direction). */
  distance: number;
  metadata: Record<string, string | number | boolean | null>;
}

export interface VectorQueryOptions {
  k: number;
  kinds?: VectorKind[];
  /** Also search the shared seed set (shop_id 0). */
  includeShared?: boolean;
}

export interface VectorStoreOptions {
  /** Chroma server, e.g. http://127.0.0.1:8000. */
  url: string;
  /** Embedding model id and width: one collection per model. */
  model: string;
  dimensions: number;
  /** Prefix that keeps test runs and deployments apart. */
  collectionPrefix?: string;
}

/** Deterministic id: re-indexing overwrites instead of adding a duplicate. */
export function vectorId(shopId: number, kind: VectorKind, key: string): string {
  return `${shopId}:${kind}:${key}`;
}

/** Chroma names: 3–512 chars of [a-zA-Z0-9._-], starting and ending alphanumeric. */
export function collectionNameFor(model: string, dimensions: number, prefix = 'shop'): string {
  const slug = model
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${prefix}-${slug}-${dimensions}d`;
}

// Chroma caps a single write; batches keep large shops under it.
const WRITE_BATCH = 500;

/**
 * Shop context in Chroma with embeddings passed in explicitly. Collections are
 * created with `embeddingFunction: null`, else the client would try to fetch
 * its default model. Every query filters on shop_id, so one shop never sees
 * another's catalogue or answers.
 */
export class VectorStore {
  readonly collectionName: string;
  private readonly client: ChromaClient;
  private readonly dimensions: number;
  private collection: Promise<Collection> | null = null;

  constructor(opts: VectorStoreOptions) {
    const url = new URL(opts.url);
    this.client = new ChromaClient({
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
      ssl: url.protocol === 'https:',
    });
    this.dimensions = opts.dimensions;
    this.collectionName = collectionNameFor(opts.model, opts.dimensions, opts.collectionPrefix);
  }

  async ping(): Promise<void> {
    try {
      await this.client.heartbeat();
    } catch (err) {
      throw unavailable(err);
    }
  }

  async upsert(shopId: number, kind: VectorKind, docs: VectorDoc[]): Promise<void> {
    if (docs.length === 0) return;
    for (const d of docs) {
      if (d.embedding.length !== this.dimensions) {
        throw new AppError(
          'INTERNAL',
          `embedding has ${d.embedding.length} dimensions, collection ${this.collectionName} takes ${this.dimensions}`,
        );
      }
    }
    const col = await this.col();
    for (let i = 0; i < docs.length; i += WRITE_BATCH) {
      const batch = docs.slice(i, i + WRITE_BATCH);
      await guard(() =>
        col.upsert({
          ids: batch.map((d) => vectorId(shopId, kind, d.key)),
          embeddings: batch.map((d) => d.embedding),
          documents: batch.map((d) => d.text),
          metadatas: batch.map((d) => ({ ...d.metadata, shop_id: shopId, kind, key: d.key })),
        }),
      );
    }
  }

  /**
   * Make (shop, kind) hold exactly `docs`: upsert them, then delete the ids
   * that are no longer there. Upserting first means readers never see the kind
   * empty mid-way.
   */
  async replaceShopKind(shopId: number, kind: VectorKind, docs: VectorDoc[]): Promise<void> {
    await this.upsert(shopId, kind, docs);
    const keep = new Set(docs.map((d) => vectorId(shopId, kind, d.key)));
    const col = await this.col();
    const existing = await guard(() =>
      col.get({ where: shopKindWhere(shopId, [kind]), include: [] }),
    );
    const stale = existing.ids.filter((id) => !keep.has(id));
    for (let i = 0; i < stale.length; i += WRITE_BATCH) {
      const ids = stale.slice(i, i + WRITE_BATCH);
      await guard(() => col.delete({ ids }));
    }
  }

  async query(shopId: number, embedding: number[], opts: VectorQueryOptions): Promise<VectorHit[]> {
    const col = await this.col();
    const shops =
      opts.includeShared && shopId !== SHARED_SHOP_ID ? [shopId, SHARED_SHOP_ID] : [shopId];
    const res = await guard(() =>
      col.query({
        queryEmbeddings: [embedding],
        nResults: opts.k,
        where: shopKindWhere(shops, opts.kinds),
        include: ['documents', 'metadatas', 'distances'],
      }),
    );
    const ids = res.ids[0] ?? [];
    return ids.map((id, i) => {
      const meta = (res.metadatas[0]?.[i] ?? {}) as Record<
        string,
        string | number | boolean | null
      >;
      return {
        id,
        shopId: Number(meta.shop_id),
        kind: meta.kind as VectorKind,
        text: res.documents[0]?.[i] ?? '',
        distance: res.distances[0]?.[i] ?? Number.NaN,
        metadata: meta,
      };
    });
  }

  /** Number of documents, for one shop (and kind) or the whole collection. */
  async count(shopId?: number, kind?: VectorKind): Promise<number> {
    const col = await this.col();
    if (shopId === undefined) return guard(() => col.count());
    const res = await guard(() =>
      col.get({ where: shopKindWhere(shopId, kind ? [kind] : undefined), include: [] }),
    );
    return res.ids.length;
  }

  /**
   * Delete one document if its metadata still has `field` = `value` (a newer
   * version written under the same key stays). Chroma applies both filters in
   * one call.
   */
  async deleteIf(
    shopId: number,
    kind: VectorKind,
    key: string,
    field: string,
    value: string,
  ): Promise<void> {
    const col = await this.col();
    await guard(() =>
      col.delete({ ids: [vectorId(shopId, kind, key)], where: { [field]: { $eq: value } } }),
    );
  }

  async deleteShop(shopId: number, kind?: VectorKind): Promise<void> {
    const col = await this.col();
    await guard(() => col.delete({ where: shopKindWhere(shopId, kind ? [kind] : undefined) }));
  }

  /** Drop the whole collection (tests clean up with this). */
  async drop(): Promise<void> {
    this.collection = null;
    await guard(() => this.client.deleteCollection({ name: this.collectionName })).catch(
      (err: unknown) => {
        // Already gone is the state we wanted.
        if ((err as { name?: string }).name !== 'ChromaNotFoundError') throw err;
      },
    );
  }

  private col(): Promise<Collection> {
    this.collection ??= guard(() =>
      this.client.getOrCreateCollection({
        name: this.collectionName,
        embeddingFunction: null,
        // Cosine: both embedders produce unit vectors, and distances then read as 1 − similarity.
        configuration: { hnsw: { space: 'cosine' } },
        metadata: { dimensions: this.dimensions },
      }),
    ).catch((err: unknown) => {
      this.collection = null;
      throw err;
    });
    return this.collection;
  }
}

function shopKindWhere(shop: number | number[], kinds?: VectorKind[]): Where {
  const shopCond: Where = Array.isArray(shop)
    ? shop.length === 1
      ? { shop_id: shop[0]! }
      : { shop_id: { $in: shop } }
    : { shop_id: shop };
  if (!kinds || kinds.length === 0) return shopCond;
  const kindCond: Where = kinds.length === 1 ? { kind: kinds[0]! } : { kind: { $in: kinds } };
  return { $and: [shopCond, kindCond] };
}

function unavailable(err: unknown): AppError {
  return new AppError('VECTOR_STORE_UNAVAILABLE', `Chroma is not reachable: ${String(err)}`, {
    retryable: true,
    cause: err,
  });
}

/** Connection failures become a retryable VECTOR_STORE_UNAVAILABLE. */
async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const name = (err as { name?: string }).name ?? '';
    if (name === 'ChromaConnectionError' || /fetch failed|ECONNREFUSED/.test(String(err))) {
      throw unavailable(err);
    }
    throw err;
  }
}
