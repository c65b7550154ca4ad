// Stands in for `sha.js/sha1.js` in the workbench build of isomorphic-git: a streaming SHA-1 in a few hundred
// bytes, instead of sha.js and the Node polyfills it drags in (to-buffer, get-intrinsic, which-typed-array ...,
// about 6 KB gzip). isomorphic-git hashes with WebCrypto where it can; this is its synchronous path (packing,
// and pages served without a secure context, where crypto.subtle does not exist).

type BufferLike = Uint8Array & { toString(encoding?: string): string };
const NodeBuffer = (globalThis as { Buffer?: { from(bytes: Uint8Array): BufferLike } }).Buffer;

/** sha.js's Hash API as isomorphic-git uses it: `new Hash().update(bytes).digest('hex')`, update may repeat. */
export default class Sha1 {
  private readonly h = new Uint32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0]);
  private readonly block = new Uint8Array(64);
  private readonly words = new Uint32Array(80);
  private filled = 0;
  private length = 0;
  private done = false;

  update(data: Uint8Array | ArrayBuffer | string, encoding?: string): this {
    if (this.done) throw new Error('SHA-1: update after digest');
    const bytes = typeof data === 'string' ? stringBytes(data, encoding) : data instanceof Uint8Array ? data : new Uint8Array(data);
    this.length += bytes.length;
    let at = 0;
    while (at < bytes.length) {
      const take = Math.min(64 - this.filled, bytes.length - at);
      this.block.set(bytes.subarray(at, at + take), this.filled);
      this.filled += take;
      at += take;
      if (this.filled === 64) {
        this.compress();
        this.filled = 0;
      }
    }
    return this;
  }

  digest(encoding?: 'hex'): string | BufferLike | Uint8Array {
    if (this.done) throw new Error('SHA-1: digest called twice');
    this.done = true;
    const bits = this.length * 8;
    this.block[this.filled++] = 0x80;
    if (this.filled > 56) {
      this.block.fill(0, this.filled);
      this.compress();
      this.filled = 0;
    }
    this.block.fill(0, this.filled, 56);
    const view = new DataView(this.block.buffer);
    view.setUint32(56, Math.floor(bits / 2 ** 32));
    view.setUint32(60, bits >>> 0);
    this.compress();
    const out = new Uint8Array(20);
    const outView = new DataView(out.buffer);
    for (let i = 0; i < 5; i++) outView.setUint32(i * 4, this.h[i]);
    if (encoding === 'hex') return Array.from(out, (b) => b.toString(16).padStart(2, '0')).join('');
    return NodeBuffer ? NodeBuffer.from(out) : out;
  }

  private compress(): void {
    const w = this.words;
    const view = new DataView(this.block.buffer);
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(i * 4);
    for (let i = 16; i < 80; i++) {
      const x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
      w[i] = (x << 1) | (x >>> 31);
    }
    let [a, b, c, d, e] = this.h;
    for (let i = 0; i < 80; i++) {
      const f = i < 20 ? (b & c) | (~b & d) : i < 40 ? b ^ c ^ d : i < 60 ? (b & c) | (b & d) | (c & d) : b ^ c ^ d;
      const k = i < 20 ? 0x5a827999 : i < 40 ? 0x6ed9eba1 : i < 60 ? 0x8f1bbcdc : 0xca62c1d6;
      const t = (((a << 5) | (a >>> 27)) + f + e + k + w[i]) >>> 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    this.h[0] += a;
    this.h[1] += b;
    this.h[2] += c;
    this.h[3] += d;
    this.h[4] += e;
  }
}

function stringBytes(text: string, encoding?: string): Uint8Array {
  if (encoding === 'hex') {
    const out = new Uint8Array(text.length >> 1);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
    return out;
  }
  if (encoding === 'binary' || encoding === 'latin1') return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
  return new TextEncoder().encode(text);
}
