// COSE_Sign1 (RFC 9052) with ES256, restricted to the one shape the pass format allows:
// tag 18 around [protected bstr, {}, payload bstr, 64-byte signature bstr] whose
// protected header is exactly {1: -7, 4: <8-byte kid>} (docs/pass-format.md, section 3).
import { CborError, Tagged, concat, decodeStrict, head } from "./cbor.js";

export const COSE_SIGN1_TAG = 18;
export const ALG_ES256 = -7;
export const KID_LENGTH = 8;
export const SIGNATURE_LENGTH = 64;

export class CoseError extends Error {}

const SIGNATURE1 = new TextEncoder().encode("Signature1");

/** Take COSE bytes apart without checking the signature; throws CoseError. */
export function decodeSign1(bytes) {
  let outer;
  try {
    outer = decodeStrict(bytes);
  } catch (error) {
    throw new CoseError(`COSE_Sign1: ${error instanceof CborError ? error.message : "not valid CBOR"}`);
  }
  if (!(outer instanceof Tagged) || outer.tag !== COSE_SIGN1_TAG) throw new CoseError("COSE_Sign1: missing tag 18");
  const items = outer.value;
  if (!Array.isArray(items) || items.length !== 4) throw new CoseError("COSE_Sign1: expected an array of 4 elements");
  const [protectedBytes, unprotected, payload, signature] = items;
  if (![protectedBytes, payload, signature].every((x) => x instanceof Uint8Array)) {
    throw new CoseError("COSE_Sign1: protected, payload and signature must be byte strings");
  }
  // The unprotected header is not signed: anything in it could be changed freely.
  if (!(unprotected instanceof Map) || unprotected.size !== 0) throw new CoseError("COSE_Sign1: unprotected header must be empty");
  if (signature.length !== SIGNATURE_LENGTH) throw new CoseError("COSE_Sign1: ES256 signature must be 64 bytes");
  let header;
  try {
    header = decodeStrict(protectedBytes);
  } catch {
    throw new CoseError("protected header: not valid CBOR");
  }
  if (!(header instanceof Map) || header.size !== 2 || !header.has(1) || !header.has(4)) {
    throw new CoseError("protected header: expected exactly alg (1) and kid (4)");
  }
  if (header.get(1) !== ALG_ES256) throw new CoseError("protected header: alg must be ES256 (-7)");
  const kid = header.get(4);
  if (!(kid instanceof Uint8Array) || kid.length !== KID_LENGTH) throw new CoseError("protected header: kid must be 8 bytes");
  return { protected: protectedBytes, kid, payload, signature };
}

/** ["Signature1", protected, h'', payload] as CBOR: the bytes the signature covers. */
export function sigStructure(protectedBytes, payload) {
  return concat([
    [0x84],
    head(3, SIGNATURE1.length),
    SIGNATURE1,
    head(2, protectedBytes.length),
    protectedBytes,
    [0x40],
    head(2, payload.length),
    payload,
  ]);
}

/** WebCrypto ECDSA P-256 / SHA-256 over the Sig_structure (signature r || s). */
export async function verifySignature(message, cryptoKey) {
  try {
    return await crypto.subtle.verify(
      { name: "ECDSA", hash: "SHA-256" },
      cryptoKey,
      message.signature,
      sigStructure(message.protected, message.payload),
    );
  } catch {
    return false;
  }
}
