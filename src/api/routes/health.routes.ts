import { Router } from 'express';

export type DependencyState = 'up' | 'down' | 'not_configured';
export type ReadinessCheck = () => Promise<DependencyState>;

/** Dependencies without which no question can be answered. */
const CRITICAL = new Set(['redis', 'data_store']);
const CHECK_TIMEOUT_MS = 1_500;

async function timed(
  check: ReadinessCheck,
): Promise<{ status: DependencyState; latency_ms: number; error?: string }> {
  const started = performance.now();
  try {
    const status = await Promise.race([
      check(),
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        ).unref(),
      ),
    ]);
    return { status, latency_ms: Math.round(performance.now() - started) };
  } catch (err) {
    return {
      status: 'down',
      latency_ms: Math.round(performance.now() - started),
      error: (err as Error).message.slice(0, 200),
    };
  }
}

export function healthRouter(checks: Record<string, ReadinessCheck>): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/health/ready', async (_req, res) => {
    const names = Object.keys(checks);
    const results = await Promise.all(names.map((n) => timed(checks[n]!)));
    const dependencies = Object.fromEntries(names.map((n, i) => [n, results[i]]));
    const ready = names.every((n, i) => !CRITICAL.has(n) || results[i]!.status === 'up');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', dependencies });
  });
  return router;
}
