import { describe, it, expect } from 'vitest';
import { gunzipSync as nodeGunzip, gzipSync as nodeGzip } from 'node:zlib';
import { gzipSync, gunzipSync, constants } from './node-zlib.ts';

describe('node:zlib shim', () => {
  const text = 'web: gunicorn application:application --bind :8000\n'.repeat(20);

  it('writes gzip that node:zlib reads, and reads what node:zlib writes', () => {
    expect(nodeGunzip(gzipSync(text, { level: constants.Z_BEST_COMPRESSION })).toString()).toBe(text);
    expect(new TextDecoder().decode(gunzipSync(nodeGzip(text)))).toBe(text);
  });

  it('refuses data that is not gzip, as zlib does', () => {
    expect(() => gunzipSync(new TextEncoder().encode('plain text'))).toThrow(/incorrect header check/);
  });

  it('enforces maxOutputLength', () => {
    expect(() => gunzipSync(nodeGzip(text), { maxOutputLength: 10 })).toThrow(/larger than 10 bytes/);
  });
});
