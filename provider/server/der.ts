// Just enough DER (ITU-T X.690) to write one self-signed X.509 certificate. Node's crypto can sign and export
// keys but cannot build certificates, and a certificate library would cost start-up time on every launch.

export function tlv(tag: number, content: Uint8Array): Buffer {
  const len = content.length;
  let header: number[];
  if (len < 0x80) header = [tag, len];
  else {
    const bytes: number[] = [];
    for (let n = len; n > 0; n >>= 8) bytes.unshift(n & 0xff);
    header = [tag, 0x80 | bytes.length, ...bytes];
  }
  return Buffer.concat([Buffer.from(header), content]);
}

export const sequence = (...items: Uint8Array[]) => tlv(0x30, Buffer.concat(items));
export const set = (...items: Uint8Array[]) => tlv(0x31, Buffer.concat(items));
export const octetString = (content: Uint8Array) => tlv(0x04, content);
export const utf8String = (s: string) => tlv(0x0c, Buffer.from(s, "utf8"));
export const booleanTrue = () => tlv(0x01, Buffer.of(0xff));
/** A BIT STRING whose content is whole bytes (no unused bits), e.g. a signature. */
export const bitString = (content: Uint8Array, unusedBits = 0) => tlv(0x03, Buffer.concat([Buffer.of(unusedBits), content]));
/** [n] EXPLICIT: a constructed context-specific wrapper. */
export const explicit = (n: number, content: Uint8Array) => tlv(0xa0 | n, content);
/** [n] IMPLICIT on a primitive (e.g. a dNSName in subjectAltName). */
export const implicitPrimitive = (n: number, content: Uint8Array) => tlv(0x80 | n, content);

/** A non-negative INTEGER from big-endian bytes (a leading 0x00 keeps it positive). */
export function unsignedInteger(bytes: Uint8Array): Buffer {
  let b = Buffer.from(bytes);
  while (b.length > 1 && b[0] === 0 && (b[1] & 0x80) === 0) b = b.subarray(1);
  if (b[0] & 0x80) b = Buffer.concat([Buffer.of(0), b]);
  return tlv(0x02, b);
}

export function objectIdentifier(dotted: string): Buffer {
  const parts = dotted.split(".").map(Number);
  const out = [parts[0] * 40 + parts[1]];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [];
    let n = part;
    do {
      chunk.unshift(n & 0x7f);
      n = Math.floor(n / 128);
    } while (n > 0);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i] |= 0x80;
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** X.509 Time: UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 4.1.2.5). */
export function x509Time(date: Date): Buffer {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const rest = `${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}Z`;
  const year = date.getUTCFullYear();
  return year < 2050
    ? tlv(0x17, Buffer.from(`${p(year % 100)}${rest}`, "ascii"))
    : tlv(0x18, Buffer.from(`${p(year, 4)}${rest}`, "ascii"));
}
