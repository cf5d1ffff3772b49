import { AppError } from '../../errors/app-error.js';
import type { AggregateOptions } from '../data-store.js';

function isDocument(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * The rows of a run, checked against the caps and copied, before they leave the
 * store. MongoDB only ever returns documents of plain data; mingo can yield
 * `undefined` (`$sample` over nothing) or a function (a field path naming an
 * `Object.prototype` member), which would fail later, far from the query, as
 * an error without a code.
 */
export function checkedRows(
  rows: readonly unknown[],
  options: Pick<AggregateOptions, 'maxRows' | 'maxBytes'>,
): Record<string, unknown>[] {
  if (options.maxRows !== undefined && rows.length > options.maxRows) {
    throw new AppError('RESULT_TOO_LARGE', `result has more than ${options.maxRows} rows`);
  }
  if (!rows.every(isDocument)) {
    throw new AppError('QUERY_FAILED', 'the pipeline produced something other than documents');
  }
  if (options.maxBytes !== undefined) {
    let bytes: number;
    try {
      bytes = Buffer.byteLength(JSON.stringify(rows));
    } catch (err) {
      throw new AppError('QUERY_FAILED', 'the result holds values that are not data', {
        cause: err,
      });
    }
    if (bytes > options.maxBytes) {
      throw new AppError(
        'RESULT_TOO_LARGE',
        `result is larger than ${options.maxBytes} bytes (${bytes})`,
      );
    }
  }
  try {
    return structuredClone(rows) as Record<string, unknown>[];
  } catch (err) {
    throw new AppError('QUERY_FAILED', 'the result holds values that are not data', {
      cause: err,
    });
  }
}
