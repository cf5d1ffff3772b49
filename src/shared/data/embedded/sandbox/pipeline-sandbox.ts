import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../../errors/app-error.js';
import type { Pipeline } from '../../data-store.js';
import type { CollectionName, ShopDocuments } from '../../documents.js';
import type { SandboxReply, SandboxRequest } from './sandbox-protocol.js';

export interface SandboxOptions {
  /** The store's data dir (the sandbox loads shops from it); null: shops are sent along. */
  dataDir: string | null;
  /** Heap of the sandbox process: a run that needs more ends it, not the service. */
  memoryMb: number;
}

/** Longest a run may take when the caller gives no limit. */
export const DEFAULT_SANDBOX_TIMEOUT_MS = 30_000;
/** Starting the process and loading a large shop; it only happens after a start or a stop. */
const LOAD_TIMEOUT_MS = 120_000;
/** Message passing around the run, on top of its own limit. */
const GRACE_MS = 250;

const SELF = fileURLToPath(import.meta.url);
const ENTRY = SELF.replace(/pipeline-sandbox\.(ts|js)$/, 'sandbox.process.$1');

/** One run: what to run, and, without a data dir, the documents the store holds. */
export interface SandboxRun {
  shopId: number;
  collection: CollectionName;
  pipeline: Pipeline;
  limits: SandboxRequest['limits'];
  shop: { version: number; docs: ShopDocuments } | null;
}

/**
 * Where the embedded store runs pipelines a model wrote. mingo is synchronous
 * and cannot be interrupted, so a run that the guard let through but that
 * loops, balloons or backtracks would hold the process until it ends, or kill
 * it. Here it runs in a child process with its own heap and its own copy of
 * the shop: past its time limit the process is killed (what MongoDB's
 * maxTimeMS does on the server), and running out of memory ends only it. A
 * worker thread would be cheaper, but a thread's heap limit does not hold
 * against one huge allocation: V8 then aborts the whole process. Runs go one
 * at a time (mingo would hold the process anyway); a stopped sandbox is
 * replaced on the next run and reloads what it needs.
 */
export class PipelineSandbox {
  private child: ChildProcess | null = null;
  private nextId = 0;
  /** Runs queued or running here: a pool sends the next run where this is lowest. */
  pending = 0;
  private queue: Promise<unknown> = Promise.resolve();
  /** Without a data dir: the shop versions the current sandbox holds. */
  private readonly held = new Map<number, number>();

  constructor(private readonly options: SandboxOptions) {}

  run(job: SandboxRun): Promise<Record<string, unknown>[]> {
    this.pending++;
    const result = this.queue.then(() => this.runNow(job));
    this.queue = result.catch(() => undefined);
    void this.queue.then(() => this.pending--);
    return result;
  }

  close(): Promise<void> {
    const child = this.child;
    this.discard();
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      // The idle child is unref'd: without this, a process with nothing else
      // to do would end before the exit event settles the promise.
      child.ref();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  private runNow({
    shopId,
    collection,
    pipeline,
    limits,
    shop,
  }: SandboxRun): Promise<Record<string, unknown>[]> {
    const child = this.process();
    const id = ++this.nextId;
    const send = shop && this.held.get(shopId) !== shop.version ? shop : undefined;
    const request: SandboxRequest = {
      id,
      shopId,
      collection,
      pipeline,
      limits,
      ...(send ? { shop: send } : {}),
    };
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (outcome: () => void): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        outcome();
      };
      const limit = (ms: number, error: () => AppError): void => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          this.discard();
          child.kill('SIGKILL');
          finish(() => reject(error()));
        }, ms);
      };
      const onMessage = (message: SandboxReply): void => {
        if (message.id !== id) return;
        if (message.kind === 'started') {
          if (send) this.held.set(shopId, send.version);
          limit(
            limits.timeoutMs + GRACE_MS,
            () => new AppError('QUERY_TIMEOUT', `query ran longer than ${limits.timeoutMs} ms`),
          );
        } else if (message.kind === 'done') {
          finish(() => resolve(message.rows));
        } else {
          const { code, message: text, retryable } = message.error;
          finish(() => reject(new AppError(code, text, { retryable })));
        }
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
        this.discard();
        // V8 exits with 134 (SIGABRT) when the heap limit is reached.
        const outOfMemory = code === 134 || signal === 'SIGABRT';
        finish(() =>
          reject(
            outOfMemory
              ? new AppError('RESULT_TOO_LARGE', 'the query needed more memory than a query may use')
              : new AppError('QUERY_FAILED', `the query was stopped (${signal ?? code})`),
          ),
        );
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
      limit(
        LOAD_TIMEOUT_MS,
        () =>
          new AppError('DATA_STORE_UNAVAILABLE', `shop ${shopId} could not be loaded for the query`, {
            retryable: true,
          }),
      );
      child.send(request, (err) => {
        if (err) {
          this.discard();
          child.kill('SIGKILL');
          finish(() => reject(new AppError('QUERY_FAILED', `the query could not be sent: ${err.message}`)));
        }
      });
    });
  }

  private process(): ChildProcess {
    if (this.child) return this.child;
    const child = fork(ENTRY, this.options.dataDir ? [this.options.dataDir] : [], {
      execArgv: [
        ...(ENTRY.endsWith('.ts') ? ['--import', 'tsx'] : []),
        `--max-old-space-size=${this.options.memoryMb}`,
      ],
      // Structured clone over the channel keeps dates dates.
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    // An idle sandbox must not keep the service running; a waiting run keeps its own timer.
    child.unref();
    child.channel?.unref();
    const forget = (): void => {
      if (this.child === child) this.discard();
    };
    child.on('exit', forget);
    child.on('error', forget);
    this.child = child;
    return child;
  }

  private discard(): void {
    this.child = null;
    this.held.clear();
  }
}
