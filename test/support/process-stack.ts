import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { freePort } from './redis-server.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The Procfile's processes, by name. */
export const PROCESS_ENTRY = {
  web: 'src/api/main.ts',
  'worker-kpi': 'src/workers/kpi/main.ts',
  'worker-llm': 'src/workers/llm/main.ts',
  'worker-rag': 'src/workers/rag/main.ts',
  'worker-webhooks': 'src/workers/webhooks/main.ts',
  'worker-ingest': 'src/workers/ingest/main.ts',
} as const;
export type ProcessName = keyof typeof PROCESS_ENTRY;

export interface RunningProcess {
  name: ProcessName;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/**
 * Real processes of the service, started as the Procfile starts them, with the
 * environment a test gives. Their logs go to files under `logDir`.
 */
export class ProcessStack {
  readonly processes: RunningProcess[] = [];
  apiUrl = '';

  constructor(
    private readonly env: Record<string, string>,
    private readonly logDir: string,
  ) {}

  async startApi(extraEnv: Record<string, string> = {}): Promise<string> {
    const port = await freePort();
    this.start('web', { ...extraEnv, PORT: String(port), HOST: '127.0.0.1' });
    this.apiUrl = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${this.apiUrl}/health`)).ok, 20_000, 'api to listen');
    return this.apiUrl;
  }

  start(name: ProcessName, extraEnv: Record<string, string> = {}): RunningProcess {
    const index = this.processes.filter((p) => p.name === name).length;
    const log = createWriteStream(path.join(this.logDir, `${name}-${index}.log`));
    const child = spawn(process.execPath, ['--import', 'tsx', PROCESS_ENTRY[name]], {
      cwd: ROOT,
      env: { ...process.env, ...this.env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    const proc = { name, child, exited };
    this.processes.push(proc);
    return proc;
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.processes.map(async (p) => {
        if (p.child.exitCode !== null || p.child.signalCode !== null) return;
        p.child.kill('SIGTERM');
        const timer = setTimeout(() => p.child.kill('SIGKILL'), 8_000);
        await p.exited;
        clearTimeout(timer);
      }),
    );
  }
}

export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
