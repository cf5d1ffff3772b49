import { Cluster, Redis, type RedisOptions } from 'ioredis';

export type RedisClient = Redis | Cluster;

export interface RedisConnectionOptions {
  url: string;
  /**
   * 'api': fail fast (no offline queue, one retry) so HTTP answers 503 instead
   * of hanging; 'worker': wait for Redis to come back (BullMQ needs
   * maxRetriesPerRequest null for blocking commands).
   */
  role: 'api' | 'worker';
}

/** Parse REDIS_URL: one URL, or a comma-separated list of cluster nodes. */
export function parseRedisNodes(url: string): { host: string; port: number; password?: string }[] {
  return url
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const u = new URL(s.includes('://') ? s : `redis://${s}`);
      return {
        host: u.hostname,
        port: Number(u.port || 6379),
        ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
      };
    });
}

export function createRedis(options: RedisConnectionOptions): RedisClient {
  const base: RedisOptions =
    options.role === 'api'
      ? { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 }
      : { maxRetriesPerRequest: null, enableReadyCheck: true };
  const retry: RedisOptions = {
    // Reconnect with a capped backoff forever; callers decide how to fail.
    retryStrategy: (times) => Math.min(times * 100, 2_000),
  };
  const nodes = parseRedisNodes(options.url);
  if (nodes.length > 1) {
    return new Cluster(nodes, {
      redisOptions: { ...base, ...retry },
      enableOfflineQueue: options.role !== 'api',
      clusterRetryStrategy: (times) => Math.min(times * 100, 2_000),
    });
  }
  if (options.url.includes('://')) return new Redis(options.url, { ...base, ...retry });
  return new Redis({ ...nodes[0], ...base, ...retry });
}

export function isCluster(client: RedisClient): client is Cluster {
  return client instanceof Cluster;
}
