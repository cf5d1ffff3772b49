import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `si_<key id>_<secret>`: the id (16 hex chars) is public and
 * names the stored record; the secret (32 random bytes, base64url) is shown
 * once and only its SHA-256 is stored. A plain hash is enough for 256 bits of
 * randomness (no dictionary to attack), and it keeps checking a key to one
 * Redis read and one hash on every request.
 */
const KEY_PATTERN = /^si_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface IssuedKey {
  keyId: string;
  /** The full key, shown to the caller once. */
  apiKey: string;
  /** sha256 of the secret part, hex. */
  hash: string;
}

export function issueApiKey(): IssuedKey {
  const keyId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { keyId, apiKey: `si_${keyId}_${secret}`, hash: sha256Hex(secret) };
}

/** Split a presented key into its id and secret; null when it is not one of ours. */
export function parseApiKey(token: string): { keyId: string; secret: string } | null {
  const m = KEY_PATTERN.exec(token);
  return m ? { keyId: m[1]!, secret: m[2]! } : null;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/**
 * Constant-time comparison of a presented secret with a stored hash. Both sides
 * are hashed to equal length first, so neither content nor length leaks.
 */
export function secretMatches(secret: string, storedHashHex: string): boolean {
  const given = createHash('sha256').update(secret, 'utf8').digest();
  const stored = Buffer.from(storedHashHex, 'hex');
  return stored.length === given.length && timingSafeEqual(given, stored);
}

/** Constant-time equality of two secrets of any length (the admin key). */
export function secretsEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}
