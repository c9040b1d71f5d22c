// msgpack bytes in, one item header at a time, so a caller that knows the type it expects builds its value
// straight from the bytes (no generic tree in between). Every read is bounds-checked: malformed or truncated
// input is a MalformedMsgpack error, never an out-of-range read or an allocation sized by a lying header.

export const NIL = 0;
export const BOOL = 1;
export const NUMBER = 2;
export const STRING = 3;
export const BINARY = 4;
export const ARRAY = 5;
export const MAP = 6;
export const EXTENSION = 7;
export type ItemKind = typeof NIL | typeof BOOL | typeof NUMBER | typeof STRING | typeof BINARY | typeof ARRAY | typeof MAP | typeof EXTENSION;

export class MalformedMsgpack extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MalformedMsgpack";
  }
}

export class MsgpackReader {
  private readonly buffer: Buffer;
  private position = 0;
  /** After next(): a string's or binary's byte length, an array's items, a map's entries, an extension's data length. */
  size = 0;
  /** After next(): a bool, a number (64-bit integers as bigint), or an extension's type. */
  scalar: boolean | number | bigint = 0;

  constructor(bytes: Uint8Array) {
    this.buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.buffer.length - this.position;
  }

  /** Reads the next item's header; a string's, binary's or extension's data is read (or skipped) next. */
  next(): ItemKind {
    const code = this.u8();
    if (code < 0x80) return this.numberItem(code);
    if (code < 0x90) return this.sized(MAP, code & 0x0f);
    if (code < 0xa0) return this.sized(ARRAY, code & 0x0f);
    if (code < 0xc0) return this.sized(STRING, code & 0x1f);
    if (code >= 0xe0) return this.numberItem(code - 0x100);
    const b = this.buffer;
    switch (code) {
      case 0xc0: return NIL;
      case 0xc2: this.scalar = false; return BOOL;
      case 0xc3: this.scalar = true; return BOOL;
      case 0xc4: return this.sized(BINARY, this.u8());
      case 0xc5: return this.sized(BINARY, this.u16());
      case 0xc6: return this.sized(BINARY, this.u32());
      case 0xc7: return this.extension(this.u8());
      case 0xc8: return this.extension(this.u16());
      case 0xc9: return this.extension(this.u32());
      case 0xca: return this.numberItem(b.readFloatBE(this.advance(4)));
      case 0xcb: return this.numberItem(b.readDoubleBE(this.advance(8)));
      case 0xcc: return this.numberItem(this.u8());
      case 0xcd: return this.numberItem(this.u16());
      case 0xce: return this.numberItem(this.u32());
      case 0xcf: return this.numberItem(b.readBigUInt64BE(this.advance(8)));
      case 0xd0: return this.numberItem(b.readInt8(this.advance(1)));
      case 0xd1: return this.numberItem(b.readInt16BE(this.advance(2)));
      case 0xd2: return this.numberItem(b.readInt32BE(this.advance(4)));
      case 0xd3: return this.numberItem(b.readBigInt64BE(this.advance(8)));
      case 0xd4: return this.extension(1);
      case 0xd5: return this.extension(2);
      case 0xd6: return this.extension(4);
      case 0xd7: return this.extension(8);
      case 0xd8: return this.extension(16);
      case 0xd9: return this.sized(STRING, this.u8());
      case 0xda: return this.sized(STRING, this.u16());
      case 0xdb: return this.sized(STRING, this.u32());
      case 0xdc: return this.sized(ARRAY, this.u16());
      case 0xdd: return this.sized(ARRAY, this.u32());
      case 0xde: return this.sized(MAP, this.u16());
      case 0xdf: return this.sized(MAP, this.u32());
    }
    throw new MalformedMsgpack(`byte 0x${code.toString(16)} at offset ${this.position - 1} starts no msgpack item`);
  }

  /**
   * Whether the next item is exactly `item` (an item encoded once, such as an attribute name); if it is, it is read
   * past. A different encoding of the same value does not match: the caller then reads it as usual.
   */
  skipIfNext(item: Uint8Array): boolean {
    const b = this.buffer;
    const at = this.position;
    const n = item.length;
    if (n > b.length - at) return false;
    for (let i = 0; i < n; i++) if (b[at + i] !== item[i]) return false;
    this.position = at + n;
    return true;
  }

  /** The data of the string item just read, as UTF-8. */
  text(): string {
    const start = this.advance(this.size);
    return this.buffer.toString("utf8", start, start + this.size);
  }

  /** The data of the binary or extension item just read (a view of the input, not a copy). */
  data(): Uint8Array {
    const start = this.advance(this.size);
    return this.buffer.subarray(start, start + this.size);
  }

  /** Skips what belongs to the item whose header next() just read: its data, or every item inside it. */
  skipContents(kind: ItemKind): void {
    let pending = 0;
    for (;;) {
      if (kind === STRING || kind === BINARY || kind === EXTENSION) this.advance(this.size);
      else if (kind === ARRAY) pending += this.size;
      else if (kind === MAP) pending += 2 * this.size;
      if (pending === 0) return;
      pending--;
      kind = this.next();
    }
  }

  private numberItem(value: number | bigint): ItemKind {
    this.scalar = value;
    return NUMBER;
  }

  /**
   * A header with a size: a string's, binary's or extension's data must be there, and an array's or map's items
   * take at least a byte each, so a count beyond what is left is a lie.
   */
  private sized(kind: ItemKind, size: number): ItemKind {
    if (size > this.remaining) throw this.truncated();
    this.size = size;
    return kind;
  }

  private extension(size: number): ItemKind {
    this.scalar = this.buffer.readInt8(this.advance(1));
    return this.sized(EXTENSION, size);
  }

  private u8(): number {
    return this.buffer[this.advance(1)];
  }

  private u16(): number {
    return this.buffer.readUInt16BE(this.advance(2));
  }

  private u32(): number {
    return this.buffer.readUInt32BE(this.advance(4));
  }

  /** Moves past n bytes and returns where they start. */
  private advance(n: number): number {
    const start = this.position;
    if (n > this.buffer.length - start) throw this.truncated();
    this.position = start + n;
    return start;
  }

  private truncated(): MalformedMsgpack {
    return new MalformedMsgpack(`the input ends inside an item (${this.buffer.length} bytes)`);
  }
}
