import { describe, it, expect } from 'vitest';
import { inlineMarkup } from './inline-markup.ts';

describe('inlineMarkup', () => {
  it('turns backticks into code and double stars into strong', () => {
    expect(inlineMarkup('Run `eb init` **first**')).toBe('Run <code>eb init</code> <strong>first</strong>');
  });
  it('escapes HTML everywhere, including inside code', () => {
    expect(inlineMarkup('<script>alert(1)</script> `<b>` & "q"')).toBe('&lt;script&gt;alert(1)&lt;/script&gt; <code>&lt;b&gt;</code> &amp; &quot;q&quot;');
  });
  it('leaves an unmatched backtick as text', () => {
    expect(inlineMarkup('a ` b')).toBe('a ` b');
  });
});
