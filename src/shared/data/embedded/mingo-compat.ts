import type { Pipeline, PipelineStage as Stage } from '../data-store.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Rewrite a pipeline where mingo's answer differs from MongoDB's, so the
 * embedded store answers as the production database would:
 *
 * - `$count` over no documents: MongoDB returns no document, mingo returns
 *   `{ <field>: 0 }`. MongoDB documents `$count` as a `$group` with a null key
 *   and a `$project` without `_id`, which mingo runs the same way, so that is
 *   what mingo is given. (The Tier 2 empty-result retry relies on "no rows".)
 *
 * Sub-pipelines of `$facet`, `$lookup` and `$unionWith` are rewritten too.
 */
export function mongoCompatible(pipeline: Pipeline): Stage[] {
  return pipeline.flatMap(rewriteStage);
}

function rewriteStage(stage: Stage): Stage[] {
  const [name] = Object.keys(stage);
  const spec = name === undefined ? undefined : stage[name];
  if (name === '$count' && typeof spec === 'string') {
    return [{ $group: { _id: null, [spec]: { $sum: 1 } } }, { $project: { _id: 0 } }];
  }
  if (name === '$facet' && isObject(spec)) {
    return [
      {
        $facet: Object.fromEntries(
          Object.entries(spec).map(([k, sub]) => [
            k,
            Array.isArray(sub) ? mongoCompatible(sub as Pipeline) : sub,
          ]),
        ),
      },
    ];
  }
  if ((name === '$lookup' || name === '$unionWith') && isObject(spec) && Array.isArray(spec.pipeline)) {
    return [{ [name]: { ...spec, pipeline: mongoCompatible(spec.pipeline as Pipeline) } }];
  }
  return [stage];
}
