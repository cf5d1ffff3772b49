import type { PipelineStage } from '../data/data-store.js';

/** Variable the guard binds to a `$lookup`'s localField; user `let` may not take it. */
export const LOCAL_FIELD_VARIABLE = 'guard_local';

export function shopMatch(shopId: number): PipelineStage {
  return { $match: { shop_id: shopId } };
}

/**
 * Open the pipeline with the shop's `$match`. When the model's pipeline already
 * starts with a `$match`, the two are merged (a conjunction either way) so the
 * stores still see its bounds, e.g. created_at, in the first stage: the
 * embedded store narrows orders by them and MongoDB uses {shop_id, created_at}.
 * The model's own shop_id has already been checked to equal `shopId`.
 */
export function withShopFirst(shopId: number, stages: PipelineStage[]): PipelineStage[] {
  const first = stages[0];
  if (first && Object.keys(first).length === 1 && first.$match) {
    const rest = { ...(first.$match as Record<string, unknown>) };
    delete rest.shop_id;
    return [{ $match: { shop_id: shopId, ...rest } }, ...stages.slice(1)];
  }
  return [shopMatch(shopId), ...stages];
}

export interface CheckedLookup {
  from: string;
  as: string;
  localField?: string;
  foreignField?: string;
  let?: Record<string, unknown>;
  pipeline: PipelineStage[];
}

/**
 * A `$lookup` whose joined documents are always this shop's: the sub-pipeline
 * form with the shop `$match` first (merged like the top level's, so guarding
 * a guarded pipeline again changes nothing).
 *
 * The localField/foreignField form is rewritten into `let` + `$expr` rather
 * than kept alongside `pipeline` (MongoDB 5's concise form) because mingo runs
 * the concise form's pipeline over the whole joined collection, not just the
 * matching documents. The `$expr` keeps the equality-match semantics of the
 * field form, where either side may be an array (`items.product_id`): documents
 * join when the two sides share a value.
 */
export function scopedLookup(shopId: number, lookup: CheckedLookup): PipelineStage {
  const { from, as, localField, foreignField } = lookup;
  if (localField === undefined || foreignField === undefined) {
    return {
      $lookup: {
        from,
        ...(lookup.let ? { let: lookup.let } : {}),
        pipeline: withShopFirst(shopId, lookup.pipeline),
        as,
      },
    };
  }
  const asArray = (x: string) => ({ $cond: [{ $isArray: x }, x, [x]] });
  const joinOn = {
    $match: {
      $expr: {
        $gt: [
          {
            $size: {
              $setIntersection: [asArray(`$${foreignField}`), asArray(`$$${LOCAL_FIELD_VARIABLE}`)],
            },
          },
          0,
        ],
      },
    },
  };
  return {
    $lookup: {
      from,
      let: { ...lookup.let, [LOCAL_FIELD_VARIABLE]: `$${localField}` },
      pipeline: withShopFirst(shopId, [joinOn, ...lookup.pipeline]),
      as,
    },
  };
}

/** `$graphLookup` searches only this shop's documents. */
export function scopedSearchMatch(
  shopId: number,
  match: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const rest = { ...match };
  delete rest.shop_id;
  return { shop_id: shopId, ...rest };
}
