import { isCluster, type RedisClient } from '../redis/redis-connection.js';
import { isFinalStatus, type JobRecord, type JobStatus } from './job-record.js';

export interface JobEvent {
  job_id: string;
  shop_id: number;
  status: JobStatus;
  tier: JobRecord['tier'];
  /** Submit-to-result time, on the final event only. */
  total_ms?: number;
  cache_hit?: boolean;
  /**
   * The record itself, on final events when it is small: a request waiting on
   * the job answers from the event instead of reading the record back.
   */
  record?: JobRecord;
}

/** Final records up to this size travel with their event (every API process receives it). */
const EVENT_RECORD_MAX_BYTES = 8 * 1024;

/** How many recent jobs each shop's history keeps. */
const HISTORY_LENGTH = 200;

/**
 * Job records in Redis, one JSON value per job with a TTL, plus each shop's
 * recent job ids and a pub/sub channel announcing status changes (used by
 * `wait_ms` and the SSE stream, so neither has to poll).
 *
 * Keys: `<prefix>:job:{<id>}` and `<prefix>:shop-jobs:{<shopId>}`; single-key
 * commands only, so it works unchanged on a Redis Cluster.
 */
export class ResultsStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {}

  /**
   * Whether a command sent on this store's client after one of its writes runs
   * after that write: true on one Redis (one connection keeps order), false on
   * a cluster, where other keys live on other nodes.
   */
  get ordered(): boolean {
    return !isCluster(this.redis);
  }

  get channel(): string {
    return `${this.prefix}:job-events`;
  }

  private jobKey(jobId: string): string {
    return `${this.prefix}:job:{${jobId}}`;
  }

  private historyKey(shopId: number): string {
    return `${this.prefix}:shop-jobs:{${shopId}}`;
  }

  /**
   * Create a record; false if one with this id already exists. The record and
   * the shop's history are written in one round trip (two keys, two slots, so
   * not one transaction): ids are fresh UUIDs, and a clash would only list an
   * existing job's id in its own shop's history again.
   */
  async create(record: JobRecord): Promise<boolean> {
    const history = this.historyKey(record.shop_id);
    const [ok, listed] = await Promise.all([
      this.redis.set(
        this.jobKey(record.job_id),
        JSON.stringify(record),
        'EX',
        this.ttlSeconds,
        'NX',
      ),
      this.redis
        .multi()
        .zadd(history, Date.parse(record.created_at), record.job_id)
        .zremrangebyrank(history, 0, -HISTORY_LENGTH - 1)
        .expire(history, this.ttlSeconds)
        .exec(),
    ]);
    const failed = listed?.find(([err]) => err)?.[0];
    if (failed) throw failed;
    return ok === 'OK';
  }

  async get(jobId: string): Promise<JobRecord | null> {
    const text = await this.redis.get(this.jobKey(jobId));
    return text ? (JSON.parse(text) as JobRecord) : null;
  }

  /**
   * Apply a change to a record. One worker owns a job at a time (BullMQ's lock),
   * so read-modify-write is safe here; the TTL is kept.
   */
  async update(jobId: string, change: (record: JobRecord) => JobRecord): Promise<JobRecord | null> {
    const current = await this.get(jobId);
    if (!current) return null;
    const next = change(current);
    await this.replace(current, next);
    return next;
  }

  /**
   * Write `next` over `current`, a record its job's owner has just read, and
   * announce a change of status or tier. Whoever hears the event reads the
   * record, so the write must land first: on one Redis the two commands go out
   * together on one connection, which keeps their order; on a cluster the
   * event may leave from another node, so it waits for the write.
   */
  async replace(current: JobRecord, next: JobRecord): Promise<void> {
    const text = JSON.stringify(next);
    const write = this.redis.set(this.jobKey(next.job_id), text, 'KEEPTTL');
    if (next.status === current.status && next.tier === current.tier) {
      await write;
      return;
    }
    const event: JobEvent = {
      job_id: next.job_id,
      shop_id: next.shop_id,
      status: next.status,
      tier: next.tier,
      ...(next.timings_ms ? { total_ms: next.timings_ms.total } : {}),
    };
    // The record rides along as the text just written, not serialised twice.
    const head = JSON.stringify(event);
    const message =
      isFinalStatus(next.status) && text.length <= EVENT_RECORD_MAX_BYTES
        ? `${head.slice(0, -1)},"record":${text}}`
        : head;
    if (this.ordered) {
      await Promise.all([write, this.redis.publish(this.channel, message)]);
    } else {
      await write;
      await this.redis.publish(this.channel, message);
    }
  }

  async publish(event: JobEvent): Promise<void> {
    await this.redis.publish(this.channel, JSON.stringify(event));
  }

  /** Most recent job ids of a shop, newest first. */
  async recentJobIds(shopId: number, limit: number): Promise<string[]> {
    return this.redis.zrevrange(this.historyKey(shopId), 0, limit - 1);
  }
}
