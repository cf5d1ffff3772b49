import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Cluster } from 'ioredis';
import { freePort, startRedis, type RedisServerHandle } from './redis-server.js';

const exec = promisify(execFile);

export interface RedisClusterHandle {
  /** Comma-separated node list, the form REDIS_URL takes for a cluster. */
  url: string;
  nodes: RedisServerHandle[];
  /** SIGKILL every node (the harshest outage). */
  kill(): void;
  /** Start every node again on its port and data dir; resolves once the cluster is ok. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const clusterArgs = (port: number) => [
  '--cluster-enabled',
  'yes',
  '--cluster-config-file',
  `nodes-${port}.conf`,
  '--cluster-node-timeout',
  '3000',
];

/**
 * A local 3-master Redis Cluster on loopback: Debian's redis-server in cluster
 * mode, joined with `redis-cli --cluster create`.
 */
export async function startRedisCluster(
  options: { aof?: boolean } = {},
): Promise<RedisClusterHandle> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'si-cluster-'));
  const nodes: RedisServerHandle[] = [];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    nodes.push(
      await startRedis({
        port,
        dir: path.join(base, String(i)),
        aof: options.aof ?? false,
        extraArgs: clusterArgs(port),
      }),
    );
  }
  const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
  await exec('redis-cli', [
    '--cluster',
    'create',
    ...addresses,
    '--cluster-replicas',
    '0',
    '--cluster-yes',
  ]);
  await waitForClusterOk(addresses);
  const aof = options.aof ?? false;
  return {
    url: addresses.map((a) => `redis://${a}`).join(','),
    nodes,
    kill() {
      for (const n of nodes) n.process.kill('SIGKILL');
    },
    async restart() {
      for (const [i, n] of nodes.entries()) {
        // The nodes.conf in each data dir brings back the node's id and slots.
        nodes[i] = await startRedis({
          aof,
          port: n.port,
          dir: n.dir,
          extraArgs: clusterArgs(n.port),
        });
      }
      await waitForClusterOk(addresses);
    },
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
      await rm(base, { recursive: true, force: true });
    },
  };
}

async function waitForClusterOk(addresses: string[]): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const checks = await Promise.all(
      addresses.map(async (a) => {
        const [host, port] = a.split(':');
        const { stdout } = await exec('redis-cli', ['-h', host!, '-p', port!, 'cluster', 'info']);
        return stdout.includes('cluster_state:ok');
      }),
    );
    if (checks.every(Boolean)) {
      const cluster = new Cluster(
        addresses.map((a) => ({ host: a.split(':')[0]!, port: Number(a.split(':')[1]) })),
      );
      try {
        await cluster.set('si-cluster-probe', '1');
        await cluster.del('si-cluster-probe');
        return;
      } catch {
        // slots not yet agreed everywhere
      } finally {
        cluster.disconnect();
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('redis cluster did not become ready');
}
