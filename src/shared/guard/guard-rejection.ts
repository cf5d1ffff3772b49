/**
 * The guard's checks are recursive; unwinding them with an exception is far
 * simpler than threading results through every level. This exception never
 * leaves the guard: `guardPipeline` catches it and returns a rejection value.
 */
export class GuardRejection extends Error {
  constructor(
    readonly reason: string,
    readonly path: string,
  ) {
    super(reason);
    this.name = 'GuardRejection';
  }
}

export function reject(path: string, reason: string): never {
  throw new GuardRejection(reason, path);
}

/** `pipeline[2].$lookup` style paths, readable in a CLI line and in the model's retry prompt. */
export function at(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[\w$]+$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}
