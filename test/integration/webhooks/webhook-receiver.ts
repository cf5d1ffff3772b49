import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  headers: Record<string, string>;
  body: string;
  at: number;
}

export type Responder = (n: number) => { status: number; headers?: Record<string, string> };

/** A real HTTP receiver on loopback that records what it gets. */
export class WebhookReceiver {
  readonly received: ReceivedHook[] = [];
  private server: http.Server | null = null;
  port = 0;

  constructor(private respond: Responder = () => ({ status: 200 })) {}

  setResponder(respond: Responder): void {
    this.respond = respond;
  }

  async start(port = 0): Promise<this> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        const headers = Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, String(v)]),
        );
        this.received.push({ headers, body, at: Date.now() });
        const reply = this.respond(this.received.length);
        res.writeHead(reply.status, reply.headers ?? {});
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Wait until `count` requests arrived. */
  async waitFor(count: number, timeoutMs = 10_000): Promise<ReceivedHook[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (Date.now() > deadline)
        throw new Error(`receiver got ${this.received.length} of ${count} requests`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.received;
  }
}

export async function until<T>(
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
