import { BSON, MongoClient, MongoServerError, type Db } from 'mongodb';
import { AppError } from '../../errors/app-error.js';
import type { AggregateOptions, DataStore, Pipeline, ShopDataInfo } from '../data-store.js';
import { COLLECTIONS, type CollectionName, type ShopDocuments } from '../documents.js';
import { assertShopScoped, summarise } from '../shop-scope.js';

export interface MongoStoreOptions {
  url: string;
  dbName: string;
}

interface ShopMeta extends Omit<ShopDataInfo, 'shopId'> {
  shop_id: number;
}

/**
 * Production adapter: MongoDB 7 through the official driver. Every query leads
 * with shop_id, the shard key (`{ shop_id: 1, created_at: 1 }` for orders).
 * Imports replace a shop's documents inside a transaction, which needs a replica
 * set (docker-compose runs a single-node one).
 */
export class MongoStore implements DataStore {
  readonly kind = 'mongodb' as const;
  private readonly client: MongoClient;
  private readonly db: Db;

  constructor(options: MongoStoreOptions) {
    this.client = new MongoClient(options.url, { serverSelectionTimeoutMS: 3_000 });
    this.db = this.client.db(options.dbName);
  }

  /** Connect and create the indexes of DESIGN.md (idempotent). */
  async connect(): Promise<void> {
    await this.client.connect();
    await Promise.all([
      this.db.collection('order').createIndex({ shop_id: 1, created_at: 1 }),
      this.db.collection('order').createIndex({ shop_id: 1, status: 1 }),
      this.db.collection('product').createIndex({ shop_id: 1, status: 1 }),
      this.db.collection('customer').createIndex({ shop_id: 1 }),
      this.db.collection('shop_meta').createIndex({ shop_id: 1 }, { unique: true }),
    ]);
  }

  async aggregate(
    shopId: number,
    collection: CollectionName,
    pipeline: Pipeline,
    options: AggregateOptions = {},
  ): Promise<Record<string, unknown>[]> {
    assertShopScoped(shopId, pipeline);
    const cursor = this.db.collection(collection).aggregate(pipeline, {
      ...(options.timeoutMs !== undefined ? { maxTimeMS: options.timeoutMs } : {}),
      allowDiskUse: false,
    });
    const rows: Record<string, unknown>[] = [];
    let bytes = 0;
    try {
      for await (const doc of cursor) {
        const { _id, ...rest } = doc;
        rows.push(isObjectId(_id) ? rest : doc);
        if (options.maxRows !== undefined && rows.length > options.maxRows) {
          throw new AppError('RESULT_TOO_LARGE', `result has more than ${options.maxRows} rows`);
        }
        // One document may be 16 MB: the budget is checked as they arrive.
        if (options.maxBytes !== undefined) {
          bytes += BSON.calculateObjectSize(doc);
          if (bytes > options.maxBytes) {
            throw new AppError('RESULT_TOO_LARGE', `result is larger than ${options.maxBytes} bytes`);
          }
        }
      }
    } catch (err) {
      if (err instanceof AppError) throw err;
      if (err instanceof MongoServerError && err.code === 50) {
        throw new AppError('QUERY_TIMEOUT', `query ran longer than ${options.timeoutMs} ms`);
      }
      const transient = !(err instanceof MongoServerError);
      throw new AppError(transient ? 'DATA_STORE_UNAVAILABLE' : 'QUERY_FAILED', (err as Error).message, {
        retryable: transient,
        cause: err,
      });
    } finally {
      await cursor.close();
    }
    return rows;
  }

  async replaceShop(shopId: number, docs: ShopDocuments): Promise<ShopDataInfo> {
    const session = this.client.startSession();
    let info: ShopDataInfo | undefined;
    try {
      await session.withTransaction(async () => {
        const meta = await this.db
          .collection<ShopMeta>('shop_meta')
          .findOne({ shop_id: shopId }, { session });
        const version = (meta?.dataVersion ?? 0) + 1;
        for (const name of COLLECTIONS) {
          const coll = this.db.collection(name);
          await coll.deleteMany({ shop_id: shopId }, { session });
          if (docs[name].length > 0) await coll.insertMany([...docs[name]], { session });
        }
        info = summarise(shopId, version, docs);
        const { shopId: _ignored, ...rest } = info;
        await this.db
          .collection<ShopMeta>('shop_meta')
          .replaceOne({ shop_id: shopId }, { shop_id: shopId, ...rest }, { upsert: true, session });
      });
    } finally {
      await session.endSession();
    }
    return info!;
  }

  async shopInfo(shopId: number): Promise<ShopDataInfo | null> {
    const meta = await this.db.collection<ShopMeta>('shop_meta').findOne({ shop_id: shopId });
    if (!meta) return null;
    const { shop_id, _id, ...rest } = meta as ShopMeta & { _id: unknown };
    return { shopId: shop_id, ...rest };
  }

  async listShops(): Promise<number[]> {
    const ids = await this.db.collection('shop_meta').distinct('shop_id');
    return (ids as number[]).sort((a, b) => a - b);
  }

  async sample(shopId: number, collection: CollectionName, n: number): Promise<Record<string, unknown>[]> {
    return this.db
      .collection(collection)
      .find({ shop_id: shopId }, { projection: { _id: 0 } })
      .sort({ created_at: -1 })
      .limit(n)
      .toArray();
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

function isObjectId(v: unknown): boolean {
  return typeof v === 'object' && v !== null && (v as { _bsontype?: string })._bsontype === 'ObjectId';
}
