import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema, parseConfig } from '../../../src/shared/config/config.js';

describe('config', () => {
  it('parses an empty environment into frozen defaults', () => {
    const config = parseConfig({});
    expect(config.REDIS_PREFIX).toBe('si');
    expect(config.OLLAMA_HOST).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('treats an empty OLLAMA_HOST as unset, so Tier 2 reports itself unavailable', () => {
    expect(parseConfig({ OLLAMA_HOST: '' }).OLLAMA_HOST).toBeUndefined();
  });

  it('refuses bad values with the variable named', () => {
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => parseConfig({ REDIS_PREFIX: 'a b' })).toThrow(/REDIS_PREFIX/);
    expect(() => parseConfig({ EMBEDDINGS_PROVIDER: 'word2vec' })).toThrow(/EMBEDDINGS_PROVIDER/);
  });

  it('.env.example lists every variable of the schema', () => {
    const example = readFileSync(
      path.resolve(import.meta.dirname, '../../../.env.example'),
      'utf8',
    );
    for (const key of Object.keys(configSchema.shape)) {
      expect(example, key).toMatch(new RegExp(`^#? ?${key}=`, 'm'));
    }
  });
});
