import { issueApiKey, parseApiKey, secretMatches } from '../auth/api-key.js';
import type { RedisClient } from '../redis/redis-connection.js';

/** What is stored per key: never the key itself, only the hash of its secret. */
export interface ApiKeyRecord {
  key_id: string;
  shop_id: number;
  hash: string;
  created_at: string;
  /** Set on keys superseded by a rotation: they keep working until then. */
  expires_at?: string;
  label?: string;
}

/** A key's public description (listing, responses): no hash, no secret. */
export type ApiKeyInfo = Omit<ApiKeyRecord, 'hash'>;

export interface CreatedKey {
  info: ApiKeyInfo;
  /** Shown once; only its hash is kept. */
  api_key: string;
}

/**
 * Shop API keys in Redis.
 *
 * Keys: `<prefix>:api-key:{<keyId>}` (one JSON record, TTL while a rotated key
 * winds down), `<prefix>:shop-keys:{<shopId>}` (that shop's key ids) and
 * `<prefix>:keyed-shops` (shops with at least one key, which an open-mode
 * deployment must no longer serve anonymously). Single-key commands only.
 */
export class ApiKeyStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private keyKey(keyId: string): string {
    return `${this.prefix}:api-key:{${keyId}}`;
  }

  private shopKeysKey(shopId: number): string {
    return `${this.prefix}:shop-keys:{${shopId}}`;
  }

  private get keyedShopsKey(): string {
    return `${this.prefix}:keyed-shops`;
  }

  async create(shopId: number, label?: string): Promise<CreatedKey> {
    const issued = issueApiKey();
    const record: ApiKeyRecord = {
      key_id: issued.keyId,
      shop_id: shopId,
      hash: issued.hash,
      created_at: new Date().toISOString(),
      ...(label ? { label } : {}),
    };
    // Mark the shop keyed before the key exists: a crash in between leaves the
    // shop locked (safe), never a working key on an anonymously open shop.
    await this.redis.sadd(this.keyedShopsKey, String(shopId));
    await this.redis.sadd(this.shopKeysKey(shopId), issued.keyId);
    await this.redis.set(this.keyKey(issued.keyId), JSON.stringify(record));
    return { info: publicInfo(record), api_key: issued.apiKey };
  }

  /** The shop a presented key belongs to, or null for an unknown, revoked or wrong key. */
  async verify(token: string): Promise<{ shopId: number; keyId: string } | null> {
    const parsed = parseApiKey(token);
    if (!parsed) return null;
    const record = await this.read(parsed.keyId);
    if (!record || !secretMatches(parsed.secret, record.hash)) return null;
    if (record.expires_at && Date.parse(record.expires_at) <= Date.now()) return null;
    return { shopId: record.shop_id, keyId: record.key_id };
  }

  async list(shopId: number): Promise<ApiKeyInfo[]> {
    const ids = await this.redis.smembers(this.shopKeysKey(shopId));
    const out: ApiKeyInfo[] = [];
    for (const id of ids) {
      const record = await this.read(id);
      if (record && record.shop_id === shopId) out.push(publicInfo(record));
      else await this.redis.srem(this.shopKeysKey(shopId), id); // expired after a rotation
    }
    return out.sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  /**
   * Issue a new key and let the shop's existing keys run out after
   * `graceSeconds` (0: at once), so clients can switch without downtime.
   */
  async rotate(shopId: number, graceSeconds: number, label?: string): Promise<CreatedKey> {
    const previous = await this.list(shopId);
    const created = await this.create(shopId, label);
    const expiresAt = new Date(Date.now() + graceSeconds * 1000).toISOString();
    for (const info of previous) {
      if (graceSeconds === 0) {
        await this.revoke(shopId, info.key_id);
        continue;
      }
      const record = await this.read(info.key_id);
      if (!record) continue;
      if (record.expires_at && record.expires_at < expiresAt) continue; // already ends sooner
      await this.redis.set(
        this.keyKey(info.key_id),
        JSON.stringify({ ...record, expires_at: expiresAt }),
        'EX',
        Math.max(1, graceSeconds),
      );
    }
    return created;
  }

  /** Revoke one key at once; false when the shop has no such key. */
  async revoke(shopId: number, keyId: string): Promise<boolean> {
    const record = await this.read(keyId);
    if (!record || record.shop_id !== shopId) return false;
    await this.redis.del(this.keyKey(keyId));
    await this.redis.srem(this.shopKeysKey(shopId), keyId);
    // The shop stays in keyed-shops: once a shop had a key, anonymous access to
    // it does not come back by revoking keys (an admin key is the way in).
    return true;
  }

  /** Shops that require a key (used only in open mode, where there are few). */
  async keyedShops(): Promise<Set<number>> {
    const ids = await this.redis.smembers(this.keyedShopsKey);
    return new Set(ids.map(Number));
  }

  private async read(keyId: string): Promise<ApiKeyRecord | null> {
    if (!/^[0-9a-f]{16}$/.test(keyId)) return null;
    const text = await this.redis.get(this.keyKey(keyId));
    return text ? (JSON.parse(text) as ApiKeyRecord) : null;
  }
}

function publicInfo(record: ApiKeyRecord): ApiKeyInfo {
  const { hash: _hash, ...info } = record;
  return info;
}
