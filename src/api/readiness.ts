import { isCluster } from '../shared/redis/redis-connection.js';
import type { CoreServices } from '../shared/runtime/core-services.js';
import type { ReadinessCheck } from './routes/health.routes.js';

/** One check per dependency for GET /health/ready. */
export function readinessChecks(core: CoreServices): Record<string, ReadinessCheck> {
  const { config } = core;
  return {
    redis: async () => {
      // On a cluster every master must answer: one live node is not a live queue.
      const nodes = isCluster(core.redis) ? core.redis.nodes('master') : [core.redis];
      if (nodes.length === 0) return 'down';
      const pongs = await Promise.all(nodes.map((n) => n.ping()));
      return pongs.every((p) => p === 'PONG') ? 'up' : 'down';
    },
    data_store: async () => {
      await core.store.ping();
      return 'up';
    },
    vector_store: async () => {
      if (!config.CHROMA_URL) return 'not_configured';
      const res = await fetch(new URL('/api/v2/heartbeat', config.CHROMA_URL), {
        signal: AbortSignal.timeout(1_000),
      });
      return res.ok ? 'up' : 'down';
    },
    llm: async () => {
      if (!config.OLLAMA_HOST) return 'not_configured';
      const res = await fetch(new URL('/api/version', config.OLLAMA_HOST), {
        signal: AbortSignal.timeout(1_000),
      });
      return res.ok ? 'up' : 'down';
    },
  };
}
