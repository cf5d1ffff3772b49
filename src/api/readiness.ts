import type { CoreServices } from '../shared/runtime/core-services.js';
import type { ReadinessCheck } from './routes/health.routes.js';

/** One check per dependency for GET /health/ready. */
export function readinessChecks(core: CoreServices): Record<string, ReadinessCheck> {
  const { config } = core;
  return {
    redis: async () => ((await core.redis.ping()) === 'PONG' ? 'up' : 'down'),
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
