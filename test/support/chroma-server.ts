import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A real Chroma server for tests and scripts: the `chroma run` CLI shipped by
 * chromadb@3.0.3 (installed as `chroma-server`), on a free port with a fresh
 * data dir. The newer server bindings need glibc 2.38+, which Debian 12 lacks.
 */
export interface ChromaServer {
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

export interface StartChromaOptions {
  /** Keep data here instead of a temp dir (not removed on stop). */
  dataDir?: string;
  port?: number;
  /** Give up when the heartbeat has not answered by then. */
  timeoutMs?: number;
}

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const CLI = join(root, 'node_modules/chroma-server/dist/cli.mjs');

export async function startChroma(opts: StartChromaOptions = {}): Promise<ChromaServer> {
  const port = opts.port ?? (await freePort());
  const ownDir = !opts.dataDir;
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'chroma-')));
  const child = spawn(
    process.execPath,
    [CLI, 'run', '--path', dataDir, '--host', '127.0.0.1', '--port', String(port)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (b: Buffer): void => {
    output = (output + b.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;

  const stop = async (): Promise<void> => {
    await stopChild(child);
    if (ownDir) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHeartbeat(url, child, opts.timeoutMs ?? 20_000);
  } catch (err) {
    await stop();
    throw new Error(`Chroma did not start on ${url}: ${(err as Error).message}\n${output}`, {
      cause: err,
    });
  }
  return { url, port, dataDir, stop };
}

async function waitForHeartbeat(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/api/v2/heartbeat`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no heartbeat within ${timeoutMs} ms`);
}

/** Chroma flushes and exits on SIGINT; SIGKILL only if it does not within 5 s. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    child.kill('SIGINT');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}
