// Reads and writes ZIP archives for the shell's zip/unzip: fflate compresses, and this reader sees what
// fflate's unzip hides (unix modes, sizes, CRCs), so modes survive and broken archives get precise errors.
import { inflateSync, zipSync, type Zippable } from 'fflate';

export interface ZipEntryInfo {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  size: number;
  crc32: number;
  /** Unix mode with type bits (0o100755, 0o040755) when made on unix; undefined otherwise. */
  unixMode?: number;
  directory: boolean;
  modified: Date;
  encrypted: boolean;
  /** Where the entry's data starts; -1 when its local header is missing. */
  dataOffset: number;
}

/** Bytes that are not a readable ZIP archive; the message follows Info-ZIP unzip's wording. */
export class ZipArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipArchiveError';
  }
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

const u16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;

function dosDate(date: number, time: number): Date {
  return new Date(((date >> 9) & 0x7f) + 1980, ((date >> 5) & 0x0f) - 1, date & 0x1f, (time >> 11) & 0x1f, (time >> 5) & 0x3f, (time & 0x1f) * 2);
}

export function readZipEntries(bytes: Uint8Array): ZipEntryInfo[] {
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (u32(bytes, i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    throw new ZipArchiveError(
      bytes.length === 0
        ? 'zipfile is empty'
        : 'End-of-central-directory signature not found.  Either this file is not a zipfile, or it constitutes one disk of a multi-part archive.',
    );
  }
  const count = u16(bytes, eocd + 10);
  const cdSize = u32(bytes, eocd + 12);
  const cdOffset = u32(bytes, eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new ZipArchiveError('ZIP64 archives (over 4 GB or 65,535 entries) are not supported here.');
  if (cdOffset + cdSize > eocd) throw new ZipArchiveError('missing bytes in zipfile: the central directory lies beyond the end of the file (truncated download or copy?).');
  const entries: ZipEntryInfo[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > bytes.length || u32(bytes, p) !== CENTRAL) throw new ZipArchiveError(`expected central file header signature not found (file #${i + 1}).`);
    const madeBy = u16(bytes, p + 4) >> 8;
    const flags = u16(bytes, p + 8);
    const nameLength = u16(bytes, p + 28);
    const external = u32(bytes, p + 38);
    const localOffset = u32(bytes, p + 42);
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLength));
    const unixMode = madeBy === 3 && external >>> 16 !== 0 ? external >>> 16 : undefined;
    let dataOffset = -1;
    if (localOffset + 30 <= bytes.length && u32(bytes, localOffset) === LOCAL) {
      dataOffset = localOffset + 30 + u16(bytes, localOffset + 26) + u16(bytes, localOffset + 28);
    }
    entries.push({
      name,
      method: u16(bytes, p + 10),
      compressedSize: u32(bytes, p + 20),
      size: u32(bytes, p + 24),
      crc32: u32(bytes, p + 16),
      unixMode,
      directory: name.endsWith('/') || (unixMode !== undefined && (unixMode & 0o170000) === 0o040000) || (unixMode === undefined && (external & 0x10) !== 0),
      modified: dosDate(u16(bytes, p + 14), u16(bytes, p + 12)),
      encrypted: (flags & 1) !== 0,
      dataOffset,
    });
    p += 46 + nameLength + u16(bytes, p + 30) + u16(bytes, p + 32);
  }
  return entries;
}

/** The entry's contents, checked against its CRC. */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntryInfo): Uint8Array {
  if (entry.directory) return new Uint8Array(0);
  if (entry.dataOffset < 0) throw new ZipArchiveError(`${entry.name}: bad local header (the archive is damaged).`);
  if (entry.encrypted) throw new ZipArchiveError(`${entry.name}: encrypted entries are not supported.`);
  const end = entry.dataOffset + entry.compressedSize;
  if (end > bytes.length) throw new ZipArchiveError(`${entry.name}: unexpected end of file (the archive is truncated).`);
  const raw = bytes.subarray(entry.dataOffset, end);
  let data: Uint8Array;
  if (entry.method === 0) data = raw;
  else if (entry.method === 8) {
    try {
      data = inflateSync(raw, { out: new Uint8Array(entry.size) });
    } catch (error) {
      throw new ZipArchiveError(`${entry.name}: invalid compressed data to inflate (${(error as Error).message}).`);
    }
  } else throw new ZipArchiveError(`${entry.name}: unsupported compression method ${entry.method}.`);
  if (data.length !== entry.size || crc32(data) !== entry.crc32) {
    throw new ZipArchiveError(`${entry.name}: bad CRC ${crc32(data).toString(16).padStart(8, '0')} (should be ${entry.crc32.toString(16).padStart(8, '0')}).`);
  }
  return data;
}

export interface ZipInputFile {
  name: string;
  data: Uint8Array;
  /** Unix mode including type bits. */
  mode: number;
  mtime: Date;
  directory?: boolean;
}

/** ZIP cannot store times before 1980. */
const EARLIEST_ZIP_TIME = new Date(1980, 0, 2).getTime();

/** Builds an archive made "on unix" so the modes travel in the external attributes, as Info-ZIP's zip does. */
export function writeZip(files: ZipInputFile[]): Uint8Array {
  const entries: Zippable = {};
  for (const file of files) {
    const name = file.directory && !file.name.endsWith('/') ? `${file.name}/` : file.name;
    entries[name] = [
      file.directory ? new Uint8Array(0) : file.data,
      {
        os: 3,
        attrs: ((((file.mode & 0xffff) << 16) >>> 0) | (file.directory ? 0x10 : 0)) >>> 0,
        mtime: Math.max(file.mtime.getTime(), EARLIEST_ZIP_TIME),
        // Small or incompressible files are stored, as zip does when deflating does not pay.
        level: file.directory || file.data.length < 64 ? 0 : 6,
      },
    ];
  }
  return zipSync(entries);
}

let crcTable: Uint32Array | undefined;

export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Info-ZIP wildcards: `*` matches any run of characters including `/`, `?` one character, `[...]` a class. */
export function zipPattern(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else if (ch === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) source += '\\[';
      else {
        const body = pattern.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        source += `[${body}]`;
        i = close;
      }
    } else source += ch.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** `-rwxr-xr-x` for a unix mode, as zipinfo and ls show it. */
export function modeString(mode: number): string {
  const type = mode & 0o170000;
  const kind = type === 0o040000 ? 'd' : type === 0o120000 ? 'l' : '-';
  let perms = '';
  for (let shift = 6; shift >= 0; shift -= 3) {
    const bits = (mode >> shift) & 7;
    perms += (bits & 4 ? 'r' : '-') + (bits & 2 ? 'w' : '-') + (bits & 1 ? 'x' : '-');
  }
  return kind + perms;
}
