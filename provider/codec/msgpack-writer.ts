// msgpack bytes out, each item in the shortest form the msgpack spec allows (as cty's own encoder writes them).
// One writer serves every value of the process: reset() starts a value, take() copies it out. Writing straight
// to bytes, rather than building a tree for a generic encoder to walk, is what makes a value cheap to encode.

export class MsgpackWriter {
  private buffer = Buffer.alloc(1024);
  private length = 0;

  reset(): void {
    this.length = 0;
  }

  /** The value written since reset(), as a copy the caller owns. */
  take(): Uint8Array {
    const out = new Uint8Array(this.length);
    out.set(this.buffer.subarray(0, this.length));
    return out;
  }

  nil(): void {
    this.byte(0xc0);
  }

  bool(value: boolean): void {
    this.byte(value ? 0xc3 : 0xc2);
  }

  /** A safe integer as the smallest int format that holds it, anything else as float64. */
  number(value: number): void {
    if (!Number.isSafeInteger(value)) {
      this.reserve(9);
      this.buffer[this.length] = 0xcb;
      this.buffer.writeDoubleBE(value, this.length + 1);
      this.length += 9;
    } else if (value >= 0) {
      if (value < 0x80) this.byte(value);
      else if (value < 0x100) this.header8(0xcc, value);
      else if (value < 0x10000) this.header16(0xcd, value);
      else if (value < 0x100000000) this.header32(0xce, value);
      else this.header64(0xcf, value);
    } else if (value >= -0x20) this.byte(value & 0xff);
    else if (value >= -0x80) this.header8(0xd0, value & 0xff);
    else if (value >= -0x8000) this.header16(0xd1, value & 0xffff);
    else if (value >= -0x80000000) this.header32(0xd2, value >>> 0);
    else this.header64(0xd3, value);
  }

  /** The string's UTF-8 bytes, as it is (normalising text is the caller's business). */
  string(value: string): void {
    const size = Buffer.byteLength(value, "utf8");
    if (size < 0x20) this.byte(0xa0 | size);
    else if (size < 0x100) this.header8(0xd9, size);
    else if (size < 0x10000) this.header16(0xda, size);
    else this.header32(0xdb, size);
    this.reserve(size);
    this.length += this.buffer.write(value, this.length, size, "utf8");
  }

  binary(value: Uint8Array): void {
    const size = value.byteLength;
    if (size < 0x100) this.header8(0xc4, size);
    else if (size < 0x10000) this.header16(0xc5, size);
    else this.header32(0xc6, size);
    this.raw(value);
  }

  arrayHeader(count: number): void {
    if (count < 0x10) this.byte(0x90 | count);
    else if (count < 0x10000) this.header16(0xdc, count);
    else this.header32(0xdd, count);
  }

  mapHeader(count: number): void {
    if (count < 0x10) this.byte(0x80 | count);
    else if (count < 0x10000) this.header16(0xde, count);
    else this.header32(0xdf, count);
  }

  /** Bytes that are already msgpack (an item encoded once and kept, such as an attribute name). */
  raw(bytes: Uint8Array): void {
    this.reserve(bytes.byteLength);
    this.buffer.set(bytes, this.length);
    this.length += bytes.byteLength;
  }

  private byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  private header8(code: number, value: number): void {
    this.reserve(2);
    this.buffer[this.length] = code;
    this.buffer[this.length + 1] = value;
    this.length += 2;
  }

  private header16(code: number, value: number): void {
    this.reserve(3);
    this.buffer[this.length] = code;
    this.buffer.writeUInt16BE(value, this.length + 1);
    this.length += 3;
  }

  private header32(code: number, value: number): void {
    this.reserve(5);
    this.buffer[this.length] = code;
    this.buffer.writeUInt32BE(value, this.length + 1);
    this.length += 5;
  }

  /** A 64-bit integer from a safe integer: the high word (two's complement when negative), then the low. */
  private header64(code: number, value: number): void {
    this.reserve(9);
    this.buffer[this.length] = code;
    this.buffer.writeInt32BE(Math.floor(value / 0x100000000), this.length + 1);
    this.buffer.writeUInt32BE(value >>> 0, this.length + 5);
    this.length += 9;
  }

  private reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const grown = Buffer.alloc(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}
