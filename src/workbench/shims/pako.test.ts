import { describe, it, expect } from 'vitest';
import { deflateSync, inflateSync } from 'node:zlib';
import shim, { inflate, deflate, Inflate } from './pako.ts';

describe('pako shim (fflate)', () => {
  const object = new TextEncoder().encode(`blob 52\0web: gunicorn application:application --bind :8000\n`.repeat(3));

  it('reads and writes zlib data as zlib (and so pako and git) does: git loose objects', () => {
    expect(inflate(deflateSync(object))).toEqual(object);
    expect(new Uint8Array(inflateSync(deflate(object)))).toEqual(object);
    expect(shim.inflate(shim.deflate(object.buffer.slice(0) as ArrayBuffer))).toEqual(object);
  });

  it('refuses corrupt objects with an Error, and packfile streaming with a clear message', () => {
    expect(() => inflate(new TextEncoder().encode('not zlib at all'))).toThrow(/git object is not valid zlib data/);
    expect(() => new Inflate()).toThrow(/packfiles .* not available in the lab shell/);
  });
});
