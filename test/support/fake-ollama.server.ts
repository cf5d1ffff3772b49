import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from './redis-server.js';

/**
 * One scripted answer of the fake Ollama server.
 * - `content`: a 200 whose model output (message.content / response) is this text;
 * - `json`: the same with the value serialised (a well-formed model answer);
 * - `status`: an HTTP error with Ollama's `{ error }` body.
 * `delayMs` holds the response back (a slow model); the client's timeout aborts it.
 */
export type FakeReply =
  | { content: string; delayMs?: number }
  | { json: unknown; delayMs?: number }
  | { status: number; error?: string; delayMs?: number };

export interface RecordedRequest {
  path: string;
  body: Record<string, unknown>;
  at: number;
}

export interface FakeOllama {
  url: string;
  model: string;
  /** Every model request received (/api/chat and /api/generate), in order. */
  readonly requests: RecordedRequest[];
  /** Queue replies, used one per model request in order. */
  script(...replies: FakeReply[]): void;
  /** The reply once the script runs out (default: a 500 "nothing scripted"). */
  setDefault(reply: FakeReply): void;
  /** Decide each reply from the request (overrides the script while set). */
  respondWith(fn: ((req: RecordedRequest, index: number) => FakeReply) | null): void;
  reset(): void;
  close(): Promise<void>;
}

/** A model reply proposing `{ collection, pipeline }`. */
export function pipelineReply(
  collection: string,
  pipeline: unknown[],
  delayMs?: number,
): FakeReply {
  return { json: { collection, pipeline }, ...(delayMs !== undefined ? { delayMs } : {}) };
}

/**
 * An Ollama-compatible HTTP server for tests: real HTTP on a loopback port,
 * so the real `ollama` client, its error handling and our timeouts and
 * breaker all run. Serves /api/chat and /api/generate (non-streaming and
 * NDJSON streaming), /api/tags and /api/version.
 */
export async function startFakeOllama(opts: { model?: string } = {}): Promise<FakeOllama> {
  const model = opts.model ?? 'fake-model:7b';
  const requests: RecordedRequest[] = [];
  let queue: FakeReply[] = [];
  let fallback: FakeReply = { status: 500, error: 'fake ollama: nothing scripted' };
  let responder: ((req: RecordedRequest, index: number) => FakeReply) | null = null;
  const pending = new Set<NodeJS.Timeout>();

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method === 'GET' && path === '/api/version')
      return send(res, 200, { version: '0.12.0-fake' });
    if (req.method === 'GET' && path === '/api/tags') {
      return send(res, 200, {
        models: [
          {
            name: model,
            model,
            modified_at: new Date().toISOString(),
            size: 4_100_000_000,
            digest: 'fake',
            details: {
              format: 'gguf',
              family: 'llama',
              families: ['llama'],
              parameter_size: '7B',
              quantization_level: 'Q4_0',
            },
          },
        ],
      });
    }
    if (req.method !== 'POST' || (path !== '/api/chat' && path !== '/api/generate')) {
      return send(res, 404, { error: `fake ollama: no route ${req.method} ${path}` });
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    } catch {
      return send(res, 400, { error: 'invalid JSON body' });
    }
    const recorded: RecordedRequest = { path, body, at: Date.now() };
    const index = requests.push(recorded) - 1;
    const reply = responder ? responder(recorded, index) : (queue.shift() ?? fallback);
    if (reply.delayMs && reply.delayMs > 0) {
      const gone = await wait(reply.delayMs, req);
      if (gone) return;
    }
    if ('status' in reply)
      return send(res, reply.status, { error: reply.error ?? `fake error ${reply.status}` });
    const content = 'json' in reply ? JSON.stringify(reply.json) : reply.content;
    const stats = {
      total_duration: 1_000_000,
      load_duration: 0,
      prompt_eval_count: 10,
      prompt_eval_duration: 500_000,
      eval_count: 10,
      eval_duration: 500_000,
    };
    const bodyModel = typeof body.model === 'string' ? body.model : model;
    const created_at = new Date().toISOString();
    const chunk = (done: boolean, text: string) =>
      path === '/api/chat'
        ? {
            model: bodyModel,
            created_at,
            message: { role: 'assistant', content: text },
            done,
            ...(done ? { done_reason: 'stop', ...stats } : {}),
          }
        : {
            model: bodyModel,
            created_at,
            response: text,
            done,
            ...(done ? { done_reason: 'stop', context: [], ...stats } : {}),
          };
    if (body.stream === true) {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.write(`${JSON.stringify(chunk(false, content))}\n`);
      res.end(`${JSON.stringify(chunk(true, ''))}\n`);
      return;
    }
    return send(res, 200, chunk(true, content));
  }

  /** Resolves true if the client went away first (its timeout aborted the call). */
  function wait(ms: number, req: IncomingMessage): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        pending.delete(timer);
        req.socket.off('close', onClose);
        resolve(false);
      }, ms);
      pending.add(timer);
      const onClose = () => {
        clearTimeout(timer);
        pending.delete(timer);
        resolve(true);
      };
      req.socket.once('close', onClose);
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    model,
    requests,
    script: (...replies) => {
      queue.push(...replies);
    },
    setDefault: (reply) => {
      fallback = reply;
    },
    respondWith: (fn) => {
      responder = fn;
    },
    reset: () => {
      queue = [];
      requests.length = 0;
      responder = null;
      fallback = { status: 500, error: 'fake ollama: nothing scripted' };
    },
    close: async () => {
      for (const t of pending) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback URL nothing listens on: the client sees ECONNREFUSED. */
export async function refusedUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
