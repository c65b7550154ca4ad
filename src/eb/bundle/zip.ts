// Builds a source bundle ZIP: files at the archive root (no parent folder), unix modes kept, so
// executable `.platform/hooks` stay executable on the instance.
import { deflateSync, zipSync, type Zippable } from 'fflate';
import type { BundleFile } from './source.ts';

/** The EB CLI refuses archives over 512 MB (536,870,912 bytes; ebcli/lib/s3.py). */
export const maxBundleBytes = 536_870_912;

/** ZIP cannot store times before 1980; git commits from tests and clocks near 0 would otherwise throw. */
const earliestZipTime = Date.UTC(1980, 0, 2);

const sampleBytes = 64 * 1024;

/**
 * Deflate level for one file: already-compressed data (images, archives, random bytes) is stored,
 * because deflating it costs seconds per megabyte and saves nothing.
 */
export function compressionLevel(data: Uint8Array): 0 | 6 {
  if (data.byteLength <= sampleBytes) return 6;
  const sample = data.subarray(0, sampleBytes);
  return deflateSync(sample, { level: 1 }).byteLength > sample.byteLength * 0.9 ? 0 : 6;
}

export function zipBundle(files: BundleFile[]): Uint8Array {
  const entries: Zippable = {};
  for (const file of files) {
    const mtime = Math.max(file.mtime.getTime(), earliestZipTime);
    entries[file.path] = [
      file.data,
      {
        os: 3, // unix: the upper 16 bits of the external attributes carry the mode
        attrs: ((file.mode & 0xffff) << 16) >>> 0,
        mtime,
        level: compressionLevel(file.data),
      },
    ];
  }
  return zipSync(entries);
}
