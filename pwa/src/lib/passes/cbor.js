// A strict CBOR (RFC 8949) decoder for the pass format, and the few encoders the
// Sig_structure needs. Strict means: exactly one item filling the input, definite
// lengths only, shortest ("preferred") heads, no duplicate map keys, valid UTF-8, and
// only the types a pass uses (integers, byte and text strings, arrays, maps with
// integer or text keys, tags). Floats, simple values (true, false, null) and reserved
// forms are refused: none of them may appear in a pass or a revocation list, so every
// pass has exactly one valid encoding (docs/pass-format.md, section 3).

export class CborError extends Error {}

/** A tagged item, e.g. COSE_Sign1 is Tagged(18, [...]). */
export class Tagged {
  constructor(tag, value) {
    this.tag = tag;
    this.value = value;
  }
}

const MAX_DEPTH = 16;
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

class Reader {
  constructor(bytes) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = 0;
  }

  need(n) {
    if (this.pos + n > this.bytes.length) throw new CborError("unexpected end of data");
  }

  byte() {
    this.need(1);
    return this.bytes[this.pos++];
  }

  /** The argument of a head; a Number, or a BigInt above 2^53-1. Shortest form only. */
  argument(info) {
    if (info < 24) return info;
    let value;
    switch (info) {
      case 24:
        value = this.byte();
        if (value < 24) throw new CborError("non-shortest head");
        return value;
      case 25:
        this.need(2);
        value = this.view.getUint16(this.pos);
        this.pos += 2;
        if (value < 0x100) throw new CborError("non-shortest head");
        return value;
      case 26:
        this.need(4);
        value = this.view.getUint32(this.pos);
        this.pos += 4;
        if (value < 0x10000) throw new CborError("non-shortest head");
        return value;
      case 27: {
        this.need(8);
        const big = this.view.getBigUint64(this.pos);
        this.pos += 8;
        if (big < 0x100000000n) throw new CborError("non-shortest head");
        return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
      }
      case 31:
        throw new CborError("indefinite length");
      default:
        throw new CborError("reserved head");
    }
  }

  length(info) {
    const n = this.argument(info);
    if (typeof n !== "number" || n > this.bytes.length - this.pos) throw new CborError("length beyond the data");
    return n;
  }

  item(depth) {
    if (depth > MAX_DEPTH) throw new CborError("nested too deeply");
    const initial = this.byte();
    const major = initial >> 5;
    const info = initial & 0x1f;
    switch (major) {
      case 0:
        return this.argument(info);
      case 1: {
        const n = this.argument(info);
        if (typeof n === "bigint" || n >= Number.MAX_SAFE_INTEGER) return -1n - BigInt(n);
        return -1 - n;
      }
      case 2: {
        const n = this.length(info);
        const out = this.bytes.slice(this.pos, this.pos + n);
        this.pos += n;
        return out;
      }
      case 3: {
        const n = this.length(info);
        const raw = this.bytes.subarray(this.pos, this.pos + n);
        this.pos += n;
        try {
          return utf8.decode(raw);
        } catch {
          throw new CborError("invalid UTF-8");
        }
      }
      case 4: {
        const n = this.length(info);
        const out = new Array(n);
        for (let i = 0; i < n; i += 1) out[i] = this.item(depth + 1);
        return out;
      }
      case 5: {
        const n = this.length(info);
        const out = new Map();
        for (let i = 0; i < n; i += 1) {
          const key = this.item(depth + 1);
          if (typeof key !== "number" && typeof key !== "string") throw new CborError("unsupported map key");
          if (out.has(key)) throw new CborError("duplicate map key");
          out.set(key, this.item(depth + 1));
        }
        return out;
      }
      case 6: {
        const tag = this.argument(info);
        return new Tagged(tag, this.item(depth + 1));
      }
      default:
        throw new CborError("floats and simple values are not allowed");
    }
  }
}

/** Decode exactly one strict CBOR item that fills ``bytes``; throws CborError. */
export function decodeStrict(bytes) {
  const reader = new Reader(bytes);
  const value = reader.item(0);
  if (reader.pos !== bytes.length) throw new CborError("trailing bytes");
  return value;
}

/** The head of a CBOR item: major type and length/argument in shortest form. */
export function head(major, n) {
  const m = major << 5;
  if (n < 24) return [m | n];
  if (n < 0x100) return [m | 24, n];
  if (n < 0x10000) return [m | 25, n >> 8, n & 0xff];
  return [m | 26, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

/** Concatenate heads (arrays of numbers) and byte strings into one Uint8Array. */
export function concat(parts) {
  const size = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Is ``value`` a CBOR unsigned integer a JavaScript Number holds exactly? */
export function isUint(value) {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}
