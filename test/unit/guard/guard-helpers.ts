import { expect } from 'vitest';
import { guardPipeline, type GuardResult } from '../../../src/shared/guard/pipeline-guard.js';

/** The shop every guard test asks for. */
export const SHOP = 7;

/** Guard a pipeline on one of the shop's collections, as Tier 2 does. */
export const guard = (pipeline: unknown, collection: unknown = 'order', options = {}) =>
  guardPipeline({ collection, pipeline }, SHOP, options);

/** The guarded pipeline, or a failure that says why it was refused. */
export function accepted(result: GuardResult) {
  if (!result.ok) throw new Error(`expected acceptance, got: ${result.reason} at ${result.path}`);
  return result.pipeline;
}

/** The refusal, with the stable code clients switch on. */
export function rejected(result: GuardResult) {
  if (result.ok) throw new Error(`expected rejection, got ${JSON.stringify(result.pipeline)}`);
  expect(result.code).toBe('PIPELINE_REJECTED');
  return result;
}
