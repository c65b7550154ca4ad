// Stands in for `node:zlib` in the browser build of just-bash (its gzip/gunzip/zcat and rg read
// compressed files), on top of fflate. Only what just-bash uses: gzipSync, gunzipSync and the level constants.
import { gzipSync as fflateGzip, gunzipSync as fflateGunzip } from 'fflate';

export const constants = { Z_NO_COMPRESSION: 0, Z_BEST_SPEED: 1, Z_BEST_COMPRESSION: 9, Z_DEFAULT_COMPRESSION: -1 };

type Level = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

interface ZlibOptions {
  level?: number;
  maxOutputLength?: number;
}

function bytes(input: Uint8Array | ArrayBuffer | string): Uint8Array {
  if (typeof input === 'string') return new TextEncoder().encode(input);
  return input instanceof Uint8Array ? input : new Uint8Array(input);
}

function limit(output: Uint8Array, options: ZlibOptions | undefined): Uint8Array {
  if (options?.maxOutputLength !== undefined && output.length > options.maxOutputLength) {
    throw new RangeError(`Cannot create a buffer larger than ${options.maxOutputLength} bytes`);
  }
  return output;
}

export function gzipSync(input: Uint8Array | ArrayBuffer | string, options?: ZlibOptions): Uint8Array {
  const requested = options?.level ?? -1;
  const level = (requested < 0 ? 6 : Math.min(9, Math.max(0, Math.round(requested)))) as Level;
  return limit(fflateGzip(bytes(input), { level }), options);
}

export function gunzipSync(input: Uint8Array | ArrayBuffer | string, options?: ZlibOptions): Uint8Array {
  const data = bytes(input);
  if (data.length < 2 || data[0] !== 0x1f || data[1] !== 0x8b) {
    throw Object.assign(new Error('incorrect header check'), { code: 'Z_DATA_ERROR' });
  }
  return limit(fflateGunzip(data), options);
}

export default { constants, gzipSync, gunzipSync };
