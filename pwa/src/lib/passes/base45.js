// Base45 (RFC 9285) decoding, strict: pass texts have exactly one valid form, so
// characters outside the alphabet, a dangling single character and out-of-range
// groups are errors (docs/pass-format.md, section 5).
export const BASE45_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

const VALUES = new Int16Array(128).fill(-1);
for (let i = 0; i < BASE45_ALPHABET.length; i += 1) VALUES[BASE45_ALPHABET.charCodeAt(i)] = i;

export class Base45Error extends Error {}

/** Decode Base45 text into bytes; throws Base45Error. */
export function base45Decode(text) {
  if (typeof text !== "string") throw new Base45Error("expected text");
  const n = text.length;
  if (n % 3 === 1) throw new Base45Error("invalid length");
  const digits = new Uint8Array(n);
  for (let i = 0; i < n; i += 1) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? VALUES[code] : -1;
    if (value < 0) throw new Base45Error("character outside the Base45 alphabet");
    digits[i] = value;
  }
  const out = new Uint8Array(Math.floor(n / 3) * 2 + (n % 3 === 2 ? 1 : 0));
  let o = 0;
  let i = 0;
  for (; i + 3 <= n; i += 3) {
    const x = digits[i] + digits[i + 1] * 45 + digits[i + 2] * 2025;
    if (x > 0xffff) throw new Base45Error("group out of range");
    out[o++] = x >> 8;
    out[o++] = x & 0xff;
  }
  if (i < n) {
    const x = digits[i] + digits[i + 1] * 45;
    if (x > 0xff) throw new Base45Error("group out of range");
    out[o++] = x;
  }
  return out;
}
