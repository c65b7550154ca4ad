import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { diffLines, splitLines, unifiedHunks } from './line-diff.ts';

describe('line diff', () => {
  it('renders git-style hunks with three lines of context', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k'].join('\n') + '\n';
    const after = ['a', 'b', 'c', 'D', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'].join('\n') + '\n';
    // The same text `git diff --no-index` prints, function context after @@ included.
    expect(unifiedHunks(before, after)).toBe('@@ -1,7 +1,7 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n@@ -9,3 +9,4 @@ h\n i\n j\n k\n+l\n');
    // Six unchanged lines between changes: one hunk, as git does.
    expect(unifiedHunks(before.replace('k\n', ''), after.replace('k\nl\n', 'k\n')).split('@@').length).toBe(3);
    expect(unifiedHunks('x\n', 'x\n')).toBe('');
    expect(unifiedHunks('', 'new\n')).toBe('@@ -0,0 +1 @@\n+new\n');
    expect(unifiedHunks('last', 'last\n')).toBe('@@ -1 +1 @@\n-last\n\\ No newline at end of file\n+last\n');
  });

  it('produces an edit script that turns a into b, no longer than needed', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 30 }), fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 30 }), (a, b) => {
        const ops = diffLines(a, b);
        expect(ops.filter((o) => o.kind !== 'add').map((o) => o.text)).toEqual(a);
        expect(ops.filter((o) => o.kind !== 'del').map((o) => o.text)).toEqual(b);
        // Minimal: the number of unchanged lines equals the longest common subsequence.
        const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
        for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
        expect(ops.filter((o) => o.kind === 'same').length).toBe(lcs[0][0]);
      }),
      { numRuns: 300 },
    );
    expect(splitLines('a\nb\n')).toEqual(['a', 'b']);
  });
});
