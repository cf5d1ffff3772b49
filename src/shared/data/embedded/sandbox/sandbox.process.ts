/**
 * The query sandbox process: runs model-written pipelines on its own copy of
 * the shops, where its parent can kill it when a run overstays its time limit,
 * and where running out of memory ends only this process. See
 * pipeline-sandbox.ts.
 */
import { AppError } from '../../../errors/app-error.js';
import type { SandboxReply, SandboxRequest } from './sandbox-protocol.js';

// The built-in prototypes are frozen before any other module runs: a pipeline
// that reaches one (`$getField: "__proto__"`) cannot change what the next
// pipeline, of any shop, reads through it.
for (const proto of [
  Object.prototype,
  Array.prototype,
  Function.prototype,
  String.prototype,
  Number.prototype,
  Boolean.prototype,
  Date.prototype,
  RegExp.prototype,
  Map.prototype,
  Set.prototype,
  Promise.prototype,
]) {
  Object.freeze(proto);
}

const { EmbeddedStore } = await import('../embedded-store.js');
// Inputs are copied before mingo sees them: a pipeline may write into the
// documents it is handed, and this copy of the shop serves later runs too.
const store = new EmbeddedStore({
  // The one argument: the data dir to load shops from (none: they come with requests).
  dataDir: process.argv[2] ?? null,
  sandbox: false,
  copyInputs: true,
});

const reply = (message: SandboxReply): void => {
  process.send!(message);
};

async function run(req: SandboxRequest): Promise<void> {
  try {
    if (req.shop) await store.replaceShop(req.shopId, req.shop.docs);
    // Loading a shop is not the query's time: the clock starts after it.
    await store.shopInfo(req.shopId);
    reply({ id: req.id, kind: 'started' });
    const rows = await store.aggregate(req.shopId, req.collection, req.pipeline, req.limits);
    reply({ id: req.id, kind: 'done', rows });
  } catch (err) {
    const error =
      err instanceof AppError
        ? { code: err.code, message: err.message, retryable: err.retryable }
        : { code: 'QUERY_FAILED' as const, message: (err as Error).message, retryable: false };
    reply({ id: req.id, kind: 'failed', error });
  }
}

process.on('message', (req: SandboxRequest) => void run(req));
// The parent is gone (or closed the sandbox): nothing left to answer.
process.on('disconnect', () => process.exit(0));
