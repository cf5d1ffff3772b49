import { Aggregator, ProcessingMode } from 'mingo';
import { AppError } from '../../errors/app-error.js';
import type {
  AggregateOptions,
  DataStore,
  Pipeline,
  ShopDataInfo,
} from '../data-store.js';
import type { CollectionName, ShopDocuments } from '../documents.js';
import { lowerBound, timeBoundsOf } from './first-match.js';
import {
  listShopIds,
  pointerStamp,
  readPointer,
  readShopVersion,
  writeShopVersion,
} from './shop-files.js';
import { assertShopScoped, summarise } from '../shop-scope.js';
import { mongoCompatible } from './mingo-compat.js';
import { checkedRows } from './checked-rows.js';
import { DEFAULT_SANDBOX_TIMEOUT_MS, PipelineSandbox } from './sandbox/pipeline-sandbox.js';
import {
  compilePrefix,
  FastPathUnsupported,
  materialize,
  type CollectionResolver,
} from './fast-path/stage-runner.js';

export interface EmbeddedStoreOptions {
  /** Where shops are persisted; null or undefined keeps everything in memory. */
  dataDir?: string | null;
  /**
   * Run the common stages ($match, $group, $unwind, $sort...) as plain loops and
   * leave the rest to mingo (default). Off: mingo runs everything (used to
   * check that both give the same answers, and as the benchmark's reference).
   */
  fastPath?: boolean;
  /**
   * Where `untrusted` pipelines run: sandbox processes with this heap each
   * (default 1024 MB) and how many of them (default 2, so one slow pipeline
   * does not hold up the next shop's), or false to run them here like any
   * other (the sandbox's own store).
   */
  sandbox?: { memoryMb: number; processes?: number } | false;
  /**
   * Copy the documents a run reads before mingo sees them (the sandbox's
   * store): a pipeline may write into its input, and stored documents serve
   * every later question.
   */
  copyInputs?: boolean;
}

const DEFAULT_SANDBOX_MEMORY_MB = 1024;

interface LoadedShop {
  version: number;
  stamp: string | null;
  docs: ShopDocuments;
  /** created_at of each order in epoch ms, ascending, parallel to docs.order. */
  orderTimes: Float64Array;
  info: ShopDataInfo;
}

/**
 * The embedded data store: MongoDB's aggregation language run in process by
 * mingo over one shop's documents, persisted under a data dir.
 *
 * Orders are kept sorted by created_at; the pipeline's first `$match` bounds are
 * binary-searched so a date-ranged question touches only its own period.
 * Several processes (API, workers, CLI) may share one data dir: each call checks
 * the shop's pointer file and reloads when another process imported new data.
 */
export class EmbeddedStore implements DataStore {
  readonly kind = 'embedded' as const;
  private readonly dataDir: string | null;
  private readonly fastPath: boolean;
  private readonly copyInputs: boolean;
  private readonly sandboxes: PipelineSandbox[];
  private readonly shops = new Map<number, LoadedShop>();
  private readonly loading = new Map<number, Promise<LoadedShop | null>>();

  constructor(options: EmbeddedStoreOptions = {}) {
    this.dataDir = options.dataDir ?? null;
    this.fastPath = options.fastPath ?? true;
    this.copyInputs = options.copyInputs ?? false;
    const sandbox = options.sandbox;
    this.sandboxes =
      sandbox === false
        ? []
        : Array.from(
            { length: Math.max(1, sandbox?.processes ?? 2) },
            () =>
              new PipelineSandbox({
                dataDir: this.dataDir,
                memoryMb: sandbox?.memoryMb ?? DEFAULT_SANDBOX_MEMORY_MB,
              }),
          );
  }

  async aggregate(
    shopId: number,
    collection: CollectionName,
    pipeline: Pipeline,
    options: AggregateOptions = {},
  ): Promise<Record<string, unknown>[]> {
    assertShopScoped(shopId, pipeline);
    if (options.untrusted && this.sandboxes.length > 0)
      return this.runInSandbox(shopId, collection, pipeline, options);
    const shop = await this.shop(shopId);
    if (!shop) return [];
    let input: readonly unknown[] = shop.docs[collection];
    if (collection === 'order') {
      const { from, to } = timeBoundsOf(pipeline[0]);
      const start = from === -Infinity ? 0 : lowerBound(shop.orderTimes, from);
      const end = to === Infinity ? shop.orderTimes.length : lowerBound(shop.orderTimes, to);
      input = shop.docs.order.slice(start, Math.max(start, end));
    }
    const started = performance.now();
    const copies = new Map<string, Record<string, unknown>[]>();
    const joined = (name: string): Record<string, unknown>[] => {
      if (!this.copyInputs) return collectionOf(shop, name);
      let copy = copies.get(name);
      if (!copy) copies.set(name, (copy = structuredClone(collectionOf(shop, name))));
      return copy;
    };
    const runMingo = (docs: readonly unknown[], stages: Pipeline): Record<string, unknown>[] =>
      new Aggregator(mongoCompatible(stages), {
        // Compiled (Tier 1, Tier 3) pipelines only read; results are copies below.
        // Model-written ones run in the sandbox's store, which copies inputs.
        processingMode: this.copyInputs ? ProcessingMode.CLONE_INPUT : ProcessingMode.CLONE_OFF,
        // mingo implements $setWindowFields and $fill on top of its own $function,
        // so scripts must stay enabled. That runs no code from a pipeline: mingo
        // only calls real function objects, which JSON cannot carry, and the guard
        // refuses $function, $where and $accumulator before anything gets here.
        scriptEnabled: true,
        collectionResolver: joined,
      }).run(docs as Record<string, unknown>[]);
    let rows: Record<string, unknown>[];
    try {
      rows = this.fastPath
        ? runWithFastPath(input, pipeline, runMingo, (name) => collectionOf(shop, name))
        : runMingo(input, pipeline);
    } catch (err) {
      throw new AppError('QUERY_FAILED', `pipeline failed: ${(err as Error).message}`, {
        cause: err,
      });
    }
    // mingo runs synchronously and cannot be interrupted; the limit is checked
    // after the run so an over-long query still fails the way MongoDB's
    // maxTimeMS would, and the narrowing above keeps runs short in practice.
    if (options.timeoutMs !== undefined && performance.now() - started > options.timeoutMs) {
      throw new AppError('QUERY_TIMEOUT', `query ran longer than ${options.timeoutMs} ms`);
    }
    return checkedRows(rows, options);
  }

  private async runInSandbox(
    shopId: number,
    collection: CollectionName,
    pipeline: Pipeline,
    options: AggregateOptions,
  ): Promise<Record<string, unknown>[]> {
    // With a data dir the sandbox loads the shop itself; without one it is sent
    // the documents this store holds.
    const held = this.dataDir ? null : this.shops.get(shopId);
    if (!this.dataDir && !held) return [];
    // A sandbox process runs one pipeline at a time: the least busy takes it.
    const sandbox = this.sandboxes.reduce((a, b) => (b.pending < a.pending ? b : a));
    return sandbox.run({
      shopId,
      collection,
      pipeline,
      limits: {
        timeoutMs: options.timeoutMs ?? DEFAULT_SANDBOX_TIMEOUT_MS,
        ...(options.maxRows !== undefined ? { maxRows: options.maxRows } : {}),
        ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
      },
      shop: held ? { version: held.version, docs: held.docs } : null,
    });
  }

  async replaceShop(shopId: number, docs: ShopDocuments): Promise<ShopDataInfo> {
    const current = await this.shop(shopId);
    const version = (current?.version ?? 0) + 1;
    const sorted: ShopDocuments = {
      order: [...docs.order].sort((a, b) => a.created_at.getTime() - b.created_at.getTime()),
      product: [...docs.product],
      customer: [...docs.customer],
    };
    let stamp: string | null = null;
    if (this.dataDir) {
      await writeShopVersion(this.dataDir, shopId, version, sorted);
      stamp = pointerStamp(this.dataDir, shopId);
    }
    const loaded = buildShop(shopId, version, stamp, sorted);
    this.shops.set(shopId, loaded);
    return loaded.info;
  }

  async shopInfo(shopId: number): Promise<ShopDataInfo | null> {
    return (await this.shop(shopId))?.info ?? null;
  }

  async listShops(): Promise<number[]> {
    const ids = new Set(this.shops.keys());
    if (this.dataDir) for (const id of await listShopIds(this.dataDir)) ids.add(id);
    return [...ids].sort((a, b) => a - b);
  }

  async sample(
    shopId: number,
    collection: CollectionName,
    n: number,
  ): Promise<Record<string, unknown>[]> {
    const shop = await this.shop(shopId);
    if (!shop) return [];
    const docs = shop.docs[collection];
    // Most recent documents are the most representative of what a shop sells now.
    return structuredClone(docs.slice(-n));
  }

  async ping(): Promise<void> {
    if (this.dataDir) await listShopIds(this.dataDir);
  }

  async close(): Promise<void> {
    this.shops.clear();
    await Promise.all(this.sandboxes.map((sandbox) => sandbox.close()));
  }

  private async shop(shopId: number): Promise<LoadedShop | null> {
    const cached = this.shops.get(shopId);
    if (!this.dataDir) return cached ?? null;
    const stamp = pointerStamp(this.dataDir, shopId);
    if (cached && cached.stamp === stamp) return cached;
    if (stamp === null) return cached ?? null;
    let pending = this.loading.get(shopId);
    if (!pending) {
      pending = this.load(shopId).finally(() => this.loading.delete(shopId));
      this.loading.set(shopId, pending);
    }
    return pending;
  }

  private async load(shopId: number): Promise<LoadedShop | null> {
    const dataDir = this.dataDir!;
    try {
      const pointer = await readPointer(dataDir, shopId);
      if (!pointer) return null;
      const stamp = pointerStamp(dataDir, shopId);
      const docs = await readShopVersion(dataDir, shopId, pointer.version);
      const loaded = buildShop(shopId, pointer.version, stamp, docs);
      this.shops.set(shopId, loaded);
      return loaded;
    } catch (err) {
      // A missing or unreadable file is a storage fault, not a bad question:
      // let the job retry with backoff (an import may be mid-swap).
      throw new AppError('DATA_STORE_UNAVAILABLE', `shop ${shopId} data could not be read`, {
        retryable: true,
        cause: err,
      });
    }
  }
}

function buildShop(
  shopId: number,
  version: number,
  stamp: string | null,
  docs: ShopDocuments,
): LoadedShop {
  const orderTimes = new Float64Array(docs.order.length);
  docs.order.forEach((o, i) => (orderTimes[i] = o.created_at.getTime()));
  return { version, stamp, docs, orderTimes, info: summarise(shopId, version, docs) };
}

/** A `$lookup`'s joined collection: one of the shop's three, or nothing. */
function collectionOf(shop: LoadedShop, name: string): Record<string, unknown>[] {
  return name === 'order' || name === 'product' || name === 'customer'
    ? (shop.docs[name])
    : [];
}

/**
 * Run the pipeline's supported prefix as plain loops, then the rest in mingo.
 * mingo is faithful but ~70x slower than a loop on large inputs; the stages a
 * date-ranged KPI needs are few and simple. If a value turns out to be outside
 * the fast path's subset, the whole pipeline reruns in mingo.
 */
function runWithFastPath(
  input: readonly unknown[],
  pipeline: Pipeline,
  runMingo: (docs: readonly unknown[], stages: Pipeline) => Record<string, unknown>[],
  resolve: CollectionResolver,
): Record<string, unknown>[] {
  const { stages, restFrom } = compilePrefix(pipeline, resolve);
  if (stages.length === 0) return runMingo(input, pipeline);
  try {
    let docs = input as Record<string, unknown>[];
    for (const stage of stages) docs = stage(docs);
    docs = materialize(docs);
    return restFrom < pipeline.length ? runMingo(docs, pipeline.slice(restFrom)) : docs;
  } catch (err) {
    if (err instanceof FastPathUnsupported) return runMingo(input, pipeline);
    throw err;
  }
}
