import type { Pipeline } from '../data/data-store.js';
import { COLLECTIONS, type CollectionName } from '../data/documents.js';
import { GuardRejection, isPlainObject, reject } from './guard-rejection.js';
import { withShopFirst } from './shop-scope.js';
import { checkStages, topStageContext } from './stage-check.js';
import { scanStructure } from './structure-scan.js';

export { parsePipelineText, PipelineParseError } from './pipeline-text.parser.js';

/**
 * Outcome of `guardPipeline`. A rejection is a value, never an exception: the
 * llm worker feeds `reason` (and `path`) back to the model on its retry.
 */
export type GuardResult =
  | { ok: true; collection: CollectionName; pipeline: Pipeline }
  | { ok: false; code: 'PIPELINE_REJECTED'; reason: string; path: string };

export interface GuardOptions {
  /** Largest `$limit`; larger ones are lowered to it, and it ends every pipeline. */
  maxLimit: number;
  /** Deepest nesting of objects and arrays in the pipeline. */
  maxDepth: number;
  /** Most values (objects, arrays, scalars) in the whole pipeline. */
  maxNodes: number;
  /** Longest string or field name. */
  maxStringLength: number;
}

export const DEFAULT_GUARD_OPTIONS: Readonly<GuardOptions> = Object.freeze({
  maxLimit: 1000,
  maxDepth: 32,
  maxNodes: 5000,
  maxStringLength: 2000,
});

/**
 * Make a model-written aggregation safe to run for one shop.
 *
 * Accepts `{ collection, pipeline }` (as parsed JSON or from `parsePipelineText`)
 * and returns a rewritten copy, or a rejection. Only allowlisted read-only
 * stages and operators pass; no JavaScript, no writes, no server state, no
 * collections but order/product/customer. The copy is scoped to `shopId`: the
 * shop `$match` comes first, opens every `$lookup` sub-pipeline and restricts
 * every `$graphLookup`; `$limit`s are capped at `maxLimit`, which also ends the
 * pipeline. The input is never mutated.
 */
export function guardPipeline(
  input: unknown,
  shopId: number,
  options: Partial<GuardOptions> = {},
): GuardResult {
  const opts: GuardOptions = { ...DEFAULT_GUARD_OPTIONS, ...options };
  try {
    if (!Number.isSafeInteger(shopId) || shopId <= 0)
      reject('', 'shop id must be a positive integer');
    if (!Number.isSafeInteger(opts.maxLimit) || opts.maxLimit <= 0)
      reject('', 'maxLimit must be a positive integer');
    if (!isPlainObject(input)) reject('', 'expected { collection, pipeline }');
    const collection = input.collection;
    if (
      typeof collection !== 'string' ||
      !(COLLECTIONS as readonly string[]).includes(collection)
    ) {
      reject(
        'collection',
        `collection must be one of ${COLLECTIONS.join(', ')}, not ${JSON.stringify(collection)}`,
      );
    }
    scanStructure(input.pipeline, 'pipeline', opts);
    const checked = checkStages(
      input.pipeline,
      'pipeline',
      topStageContext(shopId, opts.maxLimit),
      'top',
    );
    const pipeline = withShopFirst(shopId, checked);
    if (!pipeline.at(-1)?.$limit) pipeline.push({ $limit: opts.maxLimit });
    return { ok: true, collection: collection as CollectionName, pipeline };
  } catch (err) {
    if (err instanceof GuardRejection)
      return { ok: false, code: 'PIPELINE_REJECTED', reason: err.reason, path: err.path };
    // A bug in the guard must not let anything through, nor crash the job:
    // refuse, and keep the message so the bug is visible in the job record.
    return {
      ok: false,
      code: 'PIPELINE_REJECTED',
      reason: `guard error: ${(err as Error).message}`,
      path: '',
    };
  }
}
