import type { RedisClient } from '../redis/redis-connection.js';

/**
 * Counters that several processes add to and the API exposes: webhook delivery
 * outcomes, job outcomes per tier, LLM circuit transitions. One Redis hash, so
 * every API replica reports the same totals and no worker needs its own port.
 * Field names are `name|label=value|label=value`.
 */
export class SharedCounters {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private get key(): string {
    return `${this.prefix}:metrics:{counters}`;
  }

  private get gaugeKey(): string {
    return `${this.prefix}:metrics:{gauges}`;
  }

  async increment(name: string, labels: Record<string, string>, by = 1): Promise<void> {
    await this.redis.hincrby(this.key, encode(name, labels), by);
  }

  /** A last-writer-wins value, e.g. the LLM circuit state (0 closed, 1 half-open, 2 open). */
  async setGauge(name: string, labels: Record<string, string>, value: number): Promise<void> {
    await this.redis.hset(this.gaugeKey, encode(name, labels), String(value));
  }

  async readCounters(): Promise<{ name: string; labels: Record<string, string>; value: number }[]> {
    return decodeAll(await this.redis.hgetall(this.key));
  }

  async readGauges(): Promise<{ name: string; labels: Record<string, string>; value: number }[]> {
    return decodeAll(await this.redis.hgetall(this.gaugeKey));
  }
}

function encode(name: string, labels: Record<string, string>): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]!.replace(/[|=]/g, '_')}`);
  return [name, ...parts].join('|');
}

function decodeAll(hash: Record<string, string>) {
  return Object.entries(hash).map(([field, value]) => {
    const [name, ...parts] = field.split('|');
    const labels = Object.fromEntries(parts.map((p) => p.split('=') as [string, string]));
    return { name: name!, labels, value: Number(value) };
  });
}
