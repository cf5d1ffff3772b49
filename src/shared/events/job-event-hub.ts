import { EventEmitter } from 'node:events';
import type { Logger } from '../logging/logger.js';
import type { RedisClient } from '../redis/redis-connection.js';
import type { JobEvent } from '../results/results-store.js';

/**
 * One Redis subscription per API process, fanned out locally by job id, so
 * `wait_ms` and SSE streams wait on events instead of polling Redis.
 */
const ANY = Symbol('any job');

export class JobEventHub {
  private readonly emitter = new EventEmitter();

  private constructor(
    private readonly subscriber: RedisClient,
    private readonly channel: string,
  ) {
    // Every waiting request adds a listener; many concurrent waits are normal.
    this.emitter.setMaxListeners(0);
  }

  static async start(
    subscriber: RedisClient,
    channel: string,
    logger: Logger,
  ): Promise<JobEventHub> {
    const hub = new JobEventHub(subscriber, channel);
    subscriber.on('message', (ch: string, message: string) => {
      if (ch !== channel) return;
      try {
        const event = JSON.parse(message) as JobEvent;
        hub.emitter.emit(event.job_id, event);
        hub.emitter.emit(ANY, event);
      } catch (err) {
        logger.warn({ err }, 'job event not understood');
      }
    });
    subscriber.on('error', (err: Error) => logger.warn({ err }, 'job event subscriber error'));
    await subscriber.subscribe(channel);
    return hub;
  }

  /** Every job's events (metrics). */
  onAny(listener: (event: JobEvent) => void): () => void {
    this.emitter.on(ANY, listener);
    return () => this.emitter.off(ANY, listener);
  }

  on(jobId: string, listener: (event: JobEvent) => void): () => void {
    this.emitter.on(jobId, listener);
    return () => this.emitter.off(jobId, listener);
  }

  /** Resolve with the first event of this job that satisfies `until`, or null on timeout. */
  waitFor(
    jobId: string,
    until: (event: JobEvent) => boolean,
    timeoutMs: number,
  ): Promise<JobEvent | null> {
    return new Promise((resolve) => {
      const off = this.on(jobId, (event) => {
        if (!until(event)) return;
        clearTimeout(timer);
        off();
        resolve(event);
      });
      const timer = setTimeout(() => {
        off();
        resolve(null);
      }, timeoutMs);
    });
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
    await this.subscriber.quit().catch(() => undefined);
  }
}
