// Stands in for `pako` in the workbench build of isomorphic-git, on top of fflate (already loaded for zips),
// which keeps pako's 24 KB gzip out of the workbench. isomorphic-git calls pako.inflate / pako.deflate for loose
// objects; its streaming pako.Inflate only reads packfiles (fetch, clone, indexPack), which the lab's git never does.
import { unzlibSync, zlibSync } from 'fflate';

function bytes(input: Uint8Array | ArrayBuffer): Uint8Array {
  return input instanceof Uint8Array ? input : new Uint8Array(input);
}

/** zlib-wrapped inflate, as `pako.inflate`: a corrupt object is an Error naming what is wrong. */
export function inflate(input: Uint8Array | ArrayBuffer): Uint8Array {
  try {
    return unzlibSync(bytes(input));
  } catch (error) {
    throw new Error(`git object is not valid zlib data (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** zlib-wrapped deflate at zlib's default level, as `pako.deflate`. */
export function deflate(input: Uint8Array | ArrayBuffer): Uint8Array {
  return zlibSync(bytes(input), { level: 6 });
}

/** Packfile reading is outside what the lab's git offers; say so instead of misreading a pack. */
export class Inflate {
  constructor() {
    throw new Error('Reading git packfiles (fetch, clone, index-pack) is not available in the lab shell; its git works with loose objects only.');
  }
}

export default { inflate, deflate, Inflate };
