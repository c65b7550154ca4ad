import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import Sha1 from './sha1.ts';

const nodeSha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

describe('the SHA-1 isomorphic-git hashes git objects with in the workbench', () => {
  it('gives the known digests (empty input, "abc", a git blob header)', () => {
    expect(new Sha1().update(new Uint8Array()).digest('hex')).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(new Sha1().update('abc').digest('hex')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    // `git hash-object` of "hello\n".
    expect(new Sha1().update('blob 6\0hello\n').digest('hex')).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });

  it('agrees with node:crypto for any bytes, however they are split across update calls', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(300), { maxLength: 6 }), (bytes, cuts) => {
        const hash = new Sha1();
        let from = 0;
        for (const cut of [...cuts].sort((a, b) => a - b)) {
          const to = Math.min(cut, bytes.length);
          hash.update(bytes.subarray(from, Math.max(from, to)));
          from = Math.max(from, to);
        }
        hash.update(bytes.subarray(from));
        expect(hash.digest('hex')).toBe(nodeSha1(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('handles the padding edge cases at 55, 56, 63 and 64 bytes and a 1 MB input', () => {
    for (const n of [55, 56, 57, 63, 64, 65, 119, 120, 128, 1 << 20]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 0xff);
      expect(new Sha1().update(bytes).digest('hex'), `${n} bytes`).toBe(nodeSha1(bytes));
    }
  });

  it('returns raw bytes without an encoding, hex and latin1 strings as sha.js reads them, and refuses reuse', () => {
    const raw = new Sha1().update('abc').digest();
    expect(Buffer.from(raw as Uint8Array).toString('hex')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(new Sha1().update('616263', 'hex').digest('hex')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(new Sha1().update('\u00ff', 'latin1').digest('hex')).toBe(nodeSha1(new Uint8Array([0xff])));
    const used = new Sha1();
    used.digest('hex');
    expect(() => used.update('x')).toThrow(/update after digest/);
  });
});
