// A zip reader for source bundles that sees what fflate's unzip hides: unix modes in the external attributes
// (executable hooks, symlinks), declared sizes (zip bombs) and where each entry's data lies (overlapping entries).

import { inflateSync } from 'fflate';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  /** Unix mode (type and permission bits) when the zip was made on a unix system. */
  unixMode?: number;
  directory: boolean;
  symlink: boolean;
  localHeaderOffset: number;
  /** Start of the entry's data in the archive (after its local header), -1 when the local header is broken. */
  dataOffset: number;
  encrypted: boolean;
}

export interface ZipArchive {
  entries: ZipEntry[];
  /** Offset where the central directory starts (data must end before it). */
  centralDirectoryOffset: number;
}

export class ZipFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipFormatError';
  }
}

const EOCD = 0x06054b50;
const ZIP64_EOCD = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function u16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}
function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}
function u64(b: Uint8Array, o: number): number {
  return u32(b, o) + u32(b, o + 4) * 0x1_0000_0000;
}

function decodeName(bytes: Uint8Array, utf8Flag: boolean): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    if (utf8Flag) return new TextDecoder('utf-8').decode(bytes);
    // CP437 in practice; latin1 keeps every byte visible, which is all path checks need.
    let s = '';
    for (const c of bytes) s += String.fromCharCode(c);
    return s;
  }
}

/** Reads the central directory. Throws ZipFormatError with unzip's own wording when the bytes are not a zip. */
export function readZip(bytes: Uint8Array): ZipArchive {
  if (bytes.length < 22) {
    throw new ZipFormatError('End-of-central-directory signature not found.  Either this file is not a zipfile, or it constitutes one disk of a multi-part archive.');
  }
  let eocd = -1;
  const stop = Math.max(0, bytes.length - 22 - 0xffff);
  for (let i = bytes.length - 22; i >= stop; i--) {
    if (u32(bytes, i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    throw new ZipFormatError('End-of-central-directory signature not found.  Either this file is not a zipfile, or it constitutes one disk of a multi-part archive.');
  }
  let count = u16(bytes, eocd + 10);
  let cdSize = u32(bytes, eocd + 12);
  let cdOffset = u32(bytes, eocd + 16);
  if ((count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) && eocd >= 20 && u32(bytes, eocd - 20) === ZIP64_LOCATOR) {
    const z64 = u64(bytes, eocd - 20 + 8);
    if (z64 + 56 <= bytes.length && u32(bytes, z64) === ZIP64_EOCD) {
      count = u64(bytes, z64 + 32);
      cdSize = u64(bytes, z64 + 40);
      cdOffset = u64(bytes, z64 + 48);
    }
  }
  if (cdOffset + cdSize > bytes.length) {
    throw new ZipFormatError('missing bytes in zipfile (attempting to process anyway): the central directory lies beyond the end of the file.');
  }
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > bytes.length || u32(bytes, p) !== CENTRAL) {
      throw new ZipFormatError(`expected central file header signature not found (file #${i + 1}).`);
    }
    const madeBy = u16(bytes, p + 4) >> 8;
    const flags = u16(bytes, p + 8);
    const method = u16(bytes, p + 10);
    let compressedSize = u32(bytes, p + 20);
    let size = u32(bytes, p + 24);
    const nameLen = u16(bytes, p + 28);
    const extraLen = u16(bytes, p + 30);
    const commentLen = u16(bytes, p + 32);
    const external = u32(bytes, p + 38);
    let localHeaderOffset = u32(bytes, p + 42);
    if (p + 46 + nameLen + extraLen > bytes.length) throw new ZipFormatError(`central directory entry #${i + 1} is truncated.`);
    const name = decodeName(bytes.subarray(p + 46, p + 46 + nameLen), (flags & 0x800) !== 0);
    // ZIP64 extra field: the 64-bit values appear only for fields saturated at 0xffffffff, in this order.
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = u16(bytes, e);
      const len = u16(bytes, e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === 0xffffffff && q + 8 <= e + 4 + len) (size = u64(bytes, q)), (q += 8);
        if (compressedSize === 0xffffffff && q + 8 <= e + 4 + len) (compressedSize = u64(bytes, q)), (q += 8);
        if (localHeaderOffset === 0xffffffff && q + 8 <= e + 4 + len) localHeaderOffset = u64(bytes, q);
      }
      e += 4 + len;
    }
    const unixMode = madeBy === 3 && external >>> 16 !== 0 ? external >>> 16 : undefined;
    const type = unixMode !== undefined ? unixMode & 0o170000 : 0;
    const msdosDir = (external & 0x10) !== 0;
    let dataOffset = -1;
    if (localHeaderOffset + 30 <= bytes.length && u32(bytes, localHeaderOffset) === LOCAL) {
      dataOffset = localHeaderOffset + 30 + u16(bytes, localHeaderOffset + 26) + u16(bytes, localHeaderOffset + 28);
    }
    entries.push({
      name,
      method,
      compressedSize,
      size,
      unixMode,
      directory: name.endsWith('/') || type === 0o040000 || (unixMode === undefined && msdosDir),
      symlink: type === 0o120000,
      localHeaderOffset,
      dataOffset,
      encrypted: (flags & 1) !== 0,
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return { entries, centralDirectoryOffset: cdOffset };
}

/**
 * Entries whose data ranges overlap another entry's (the trick of non-recursive zip bombs), or run into the central
 * directory. Returns the first offending entry name, if any.
 */
export function findOverlappingEntry(archive: ZipArchive): string | undefined {
  const sorted = archive.entries.filter((e) => e.dataOffset >= 0).sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  for (let i = 0; i < sorted.length; i++) {
    const end = sorted[i].dataOffset + sorted[i].compressedSize;
    const next = i + 1 < sorted.length ? sorted[i + 1].localHeaderOffset : archive.centralDirectoryOffset;
    if (end > next || (i > 0 && sorted[i].localHeaderOffset === sorted[i - 1].localHeaderOffset)) return sorted[i].name;
  }
  return undefined;
}

/**
 * The bytes of one entry, at most `limit` bytes. Throws ZipFormatError when the data is broken, uses an unsupported
 * method, or inflates past its declared size (a lying header).
 */
export function readEntry(bytes: Uint8Array, entry: ZipEntry, limit: number = entry.size): Uint8Array {
  if (entry.dataOffset < 0) throw new ZipFormatError(`bad local header for ${entry.name}.`);
  if (entry.encrypted) throw new ZipFormatError(`${entry.name} is encrypted; EB cannot read encrypted bundles.`);
  const data = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  if (data.length < entry.compressedSize) throw new ZipFormatError(`${entry.name}: unexpected end of file.`);
  const cap = Math.min(limit, entry.size);
  if (entry.method === 0) return data.subarray(0, cap);
  if (entry.method !== 8) throw new ZipFormatError(`${entry.name}: unsupported compression method ${entry.method}.`);
  // One byte of headroom: an entry that fills it inflates past its declared size (a lying header).
  let out: Uint8Array;
  try {
    out = inflateSync(data, { out: new Uint8Array(entry.size + 1) });
  } catch (err) {
    throw new ZipFormatError(`${entry.name}: invalid compressed data (${err instanceof Error ? err.message : String(err)}).`);
  }
  if (out.length > entry.size) throw new ZipFormatError(`${entry.name}: inflates past its declared size of ${entry.size} bytes.`);
  return out.subarray(0, cap);
}
