import type { ErrorCode } from '../../../errors/app-error.js';
import type { Pipeline } from '../../data-store.js';
import type { CollectionName, ShopDocuments } from '../../documents.js';

/** One pipeline to run. */
export interface SandboxRequest {
  id: number;
  shopId: number;
  collection: CollectionName;
  pipeline: Pipeline;
  limits: { timeoutMs: number; maxRows?: number; maxBytes?: number };
  /**
   * A store without a data dir: the shop's documents, sent when the sandbox
   * does not hold this version yet.
   */
  shop?: { version: number; docs: ShopDocuments };
}

/** The sandbox's replies: `started` once the shop is loaded and the run begins (the clock starts). */
export type SandboxReply =
  | { id: number; kind: 'started' }
  | { id: number; kind: 'done'; rows: Record<string, unknown>[] }
  | {
      id: number;
      kind: 'failed';
      error: { code: ErrorCode; message: string; retryable: boolean };
    };
