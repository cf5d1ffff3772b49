import type { FinishedListener } from '../shared/jobs/question-lifecycle.js';
import type { CoreServices } from '../shared/runtime/core-services.js';

/**
 * Side effects of a finished question, shared by every question worker:
 * webhook deliveries and indexing answered questions as examples.
 */
export function finishedListeners(_core: CoreServices): FinishedListener[] {
  return [];
}
