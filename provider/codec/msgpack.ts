// The cty msgpack wire format (Terraform's DynamicValue.msgpack), driven by the schema's implied type.
// This module and json-state.ts are the only places in the provider that know how values are encoded.
// Values go straight between cty and bytes, with the type in hand: a plan makes thousands of these calls,
// most of them before V8 has optimised anything, so each step a generic encoder would add shows in its time.
import { type CtyType, type CtyValue, DecimalNumber, DynamicValueOf, Unknown, type UnknownRefinements, isObjectValue } from "../../schema/cty";
import { quoted } from "../../schema/diagnostics";
import { pathToString } from "../../schema/path";
import { CodecError } from "./codec-error";
import { setMapEntry } from "./map-entry";
import { ARRAY, BINARY, BOOL, EXTENSION, type ItemKind, MAP, MalformedMsgpack, MsgpackReader, NIL, NUMBER, STRING } from "./msgpack-reader";
import { MsgpackWriter } from "./msgpack-writer";
import { type Trail, pathOf } from "./trail";

/** cty writes an unknown as fixext1 type 0 with one zero byte: d4 00 00. */
const UNKNOWN_BYTES = Uint8Array.of(0xd4, 0x00, 0x00);
/** Refined unknowns (cty >= 1.14, Terraform >= 1.6) use ext type 12 with a map payload. */
const REFINED_UNKNOWN_EXT_TYPE = 12;

/** An object type's attributes in schema order, with each name already encoded as a msgpack string. */
interface ObjectLayout {
  readonly names: readonly string[];
  readonly types: readonly CtyType[];
  readonly encodedNames: readonly Uint8Array[];
  /** The same names sorted, the order cty writes an object's attributes in, and each encoded. */
  readonly sortedNames: readonly string[];
  readonly sortedEncodedNames: readonly Uint8Array[];
}

const layouts = new WeakMap<object, ObjectLayout>();

function layoutOf(attrs: { readonly [name: string]: CtyType }): ObjectLayout {
  let layout = layouts.get(attrs);
  if (layout === undefined) {
    const names = Object.keys(attrs);
    const encodedNames = names.map((name) => {
      scratch.reset();
      scratch.string(name);
      return scratch.take();
    });
    // Sorted by UTF-16 code units where Go sorts bytes: the same order for ASCII names, and a name out of cty's
    // order is only decoded the slow way, never misread.
    const sorted = names.map((name, i) => [name, encodedNames[i]] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    layout = {
      names,
      types: names.map((name) => attrs[name]),
      encodedNames,
      sortedNames: sorted.map(([name]) => name),
      sortedEncodedNames: sorted.map(([, encoded]) => encoded),
    };
    layouts.set(attrs, layout);
  }
  return layout;
}

// One writer for the process: an encode runs start to end without yielding, so nothing can interleave.
const writer = new MsgpackWriter();
const scratch = new MsgpackWriter();

export function decodeMsgpack(bytes: Uint8Array, type: CtyType): CtyValue {
  const reader = new MsgpackReader(bytes);
  const trail: Trail = [];
  try {
    const value = readValue(reader, type, trail);
    if (reader.remaining > 0) throw new MalformedMsgpack(`${reader.remaining} byte(s) follow the value`);
    return value;
  } catch (err) {
    // The trail still says where the reader was when the input stopped making sense.
    if (err instanceof MalformedMsgpack) throw new CodecError(`invalid msgpack: ${err.message}`, pathOf(trail));
    throw err;
  }
}

export function encodeMsgpack(value: CtyValue, type: CtyType): Uint8Array {
  writer.reset();
  writeValue(value, type, []);
  return writer.take();
}

function readValue(reader: MsgpackReader, type: CtyType, trail: Trail): CtyValue {
  const kind = reader.next();
  if (kind === NIL) return null;
  if (kind === EXTENSION) return readUnknown(reader);
  if (typeof type === "string") {
    switch (type) {
      case "string":
        if (kind === STRING) return reader.text();
        break;
      case "bool":
        if (kind === BOOL) return reader.scalar as boolean;
        break;
      case "number":
        return readNumber(reader, kind, trail);
      case "dynamic":
        return readDynamic(reader, kind, trail);
    }
    throw mismatch(type, describeItem(kind), trail);
  }
  const [shape, inner] = type;
  switch (shape) {
    case "list":
    case "set":
    case "tuple": {
      // A tuple has a type per element, and exactly that many elements.
      const types = shape === "tuple" ? (inner as readonly CtyType[]) : undefined;
      if (kind !== ARRAY || (types && reader.size !== types.length)) break;
      const count = reader.size;
      const out: CtyValue[] = [];
      for (let i = 0; i < count; i++) {
        trail.push(i);
        out.push(readValue(reader, types ? types[i] : (inner as CtyType), trail));
        trail.pop();
      }
      return out;
    }
    case "map": {
      if (kind !== MAP) break;
      const count = reader.size;
      const out: { [k: string]: CtyValue } = {};
      for (let i = 0; i < count; i++) {
        const key = readKey(reader);
        trail.push({ key });
        const element = readValue(reader, inner as CtyType, trail);
        trail.pop();
        setMapEntry(out, key, element);
      }
      return out;
    }
    case "object": {
      if (kind !== MAP) break;
      const attrs = inner as { readonly [name: string]: CtyType };
      const { names, sortedNames, sortedEncodedNames } = layoutOf(attrs);
      const count = reader.size;
      const out: { [k: string]: CtyValue } = {};
      // Every attribute, in schema order; one the input leaves out is null.
      for (let i = 0; i < names.length; i++) out[names[i]] = null;
      // cty writes attributes sorted by name, so the next key is most often the next name in that order: compared
      // byte for byte with its encoding, it needs no string decoded. Any other key is decoded and looked up.
      let expected = 0;
      for (let i = 0; i < count; i++) {
        let name: string;
        if (expected < sortedNames.length && reader.skipIfNext(sortedEncodedNames[expected])) {
          name = sortedNames[expected++];
        } else {
          name = readKey(reader);
          if (!Object.hasOwn(attrs, name)) throw new CodecError(`unsupported attribute ${quoted(name)}`, pathOf(trail));
        }
        trail.push(name);
        out[name] = readValue(reader, attrs[name], trail);
        trail.pop();
      }
      return out;
    }
    default:
      throw new CodecError(`unsupported type ${JSON.stringify(type)}`, pathOf(trail));
  }
  throw mismatch(type, describeItem(kind), trail);
}

function readKey(reader: MsgpackReader): string {
  if (reader.next() !== STRING) throw new MalformedMsgpack("a map key is not a string");
  return reader.text();
}

function readUnknown(reader: MsgpackReader): Unknown {
  const extType = reader.scalar;
  const payload = reader.data();
  if (extType !== REFINED_UNKNOWN_EXT_TYPE) return new Unknown();
  // Refinements are advisory; anything we cannot read is ignored, as cty itself does for unknown keys.
  try {
    return new Unknown(readRefinements(new MsgpackReader(payload)));
  } catch {
    return new Unknown();
  }
}

/** cty's refinement map: key 1 is "may be null" (false: never null), key 2 a string prefix; others are skipped. */
function readRefinements(reader: MsgpackReader): UnknownRefinements | undefined {
  if (reader.next() !== MAP) return undefined;
  const refinements: UnknownRefinements = {};
  for (let entries = reader.size; entries > 0; entries--) {
    const keyKind = reader.next();
    const key = keyKind === NUMBER ? String(reader.scalar) : keyKind === STRING ? reader.text() : undefined;
    if (key === undefined) throw new MalformedMsgpack("a refinement key is neither a number nor a string");
    const valueKind = reader.next();
    if (key === "1" && valueKind === BOOL && reader.scalar === false) refinements.notNull = true;
    else if (key === "2" && valueKind === STRING) refinements.stringPrefix = reader.text();
    else reader.skipContents(valueKind);
  }
  if (reader.remaining > 0) throw new MalformedMsgpack("bytes follow the refinements");
  return refinements;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function readNumber(reader: MsgpackReader, kind: ItemKind, trail: Trail): CtyValue {
  if (kind === NUMBER) {
    const raw = reader.scalar as number | bigint;
    if (typeof raw === "number") {
      if (!Number.isFinite(raw)) throw new CodecError("number is not finite", pathOf(trail));
      return raw;
    }
    const n = Number(raw);
    return Number.isSafeInteger(n) ? n : new DecimalNumber(raw.toString());
  }
  if (kind === STRING) {
    // cty sends numbers that are not exact int64/float64 as their decimal text (e.g. the literal 0.1).
    const text = reader.text();
    if (!DECIMAL.test(text.trim())) throw new CodecError(`${quoted(text)} is not a number`, pathOf(trail));
    return new DecimalNumber(text);
  }
  throw mismatch("number", describeItem(kind), trail);
}

/** A dynamic value travels as [type JSON (binary), value]. */
function readDynamic(reader: MsgpackReader, kind: ItemKind, trail: Trail): CtyValue {
  if (kind !== ARRAY || reader.size !== 2 || reader.next() !== BINARY) {
    throw new CodecError("dynamic value must be [type JSON, value]", pathOf(trail));
  }
  let type: unknown;
  try {
    type = JSON.parse(Buffer.from(reader.data()).toString("utf8"));
  } catch {
    type = undefined;
  }
  if (!isCtyType(type)) throw new CodecError("dynamic value has an invalid type", pathOf(trail));
  return new DynamicValueOf(type, readValue(reader, type, trail));
}

const PRIMITIVE_TYPES = new Set(["string", "number", "bool", "dynamic"]);

/**
 * Whether a dynamic value's type JSON is a type in cty's grammar: the sender chooses it, and nothing unchecked may
 * reach the decoder. An object type may carry a third element (its optional attributes), which a value ignores.
 */
function isCtyType(type: unknown): type is CtyType {
  if (typeof type === "string") return PRIMITIVE_TYPES.has(type);
  if (!Array.isArray(type)) return false;
  switch (type[0]) {
    case "list":
    case "set":
    case "map":
      return type.length === 2 && isCtyType(type[1]);
    case "tuple":
      return type.length === 2 && Array.isArray(type[1]) && type[1].every(isCtyType);
    case "object": {
      const attrs: unknown = type[1];
      if ((type.length !== 2 && type.length !== 3) || typeof attrs !== "object" || attrs === null || Array.isArray(attrs)) return false;
      return Object.values(attrs).every(isCtyType);
    }
    default:
      return false;
  }
}

function writeValue(value: CtyValue | undefined, type: CtyType, trail: Trail): void {
  if (value === null || value === undefined) return writer.nil();
  if (value instanceof Unknown) return writer.raw(UNKNOWN_BYTES);
  if (typeof type === "string") {
    switch (type) {
      case "string":
        if (typeof value === "string") return writer.string(value.normalize("NFC"));
        break;
      case "bool":
        if (typeof value === "boolean") return writer.bool(value);
        break;
      case "number":
        if (typeof value === "number" && Number.isFinite(value)) return writer.number(value);
        if (value instanceof DecimalNumber) return writer.string(value.text);
        break;
      case "dynamic":
        if (value instanceof DynamicValueOf) {
          writer.arrayHeader(2);
          writer.binary(Buffer.from(JSON.stringify(value.type), "utf8"));
          return writeValue(value.value, value.type, trail);
        }
        break;
    }
    throw mismatch(type, describeValue(value), trail);
  }
  const [shape, inner] = type;
  switch (shape) {
    case "list":
    case "set":
    case "tuple": {
      const types = shape === "tuple" ? (inner as readonly CtyType[]) : undefined;
      if (!Array.isArray(value) || (types && value.length !== types.length)) break;
      writer.arrayHeader(value.length);
      for (let i = 0; i < value.length; i++) {
        trail.push(i);
        writeValue(value[i], types ? types[i] : (inner as CtyType), trail);
        trail.pop();
      }
      return;
    }
    case "map": {
      if (!isObjectValue(value)) break;
      const keys = Object.keys(value);
      writer.mapHeader(keys.length);
      for (const key of keys) {
        writer.string(key);
        trail.push({ key });
        writeValue(value[key], inner as CtyType, trail);
        trail.pop();
      }
      return;
    }
    case "object": {
      if (!isObjectValue(value)) break;
      const attrs = inner as { readonly [name: string]: CtyType };
      for (const key of Object.keys(value)) {
        if (!Object.hasOwn(attrs, key)) throw new CodecError(`unsupported attribute ${quoted(key)}`, pathOf(trail));
      }
      // Terraform's decoder rejects objects that lack any attribute, so every key is always written.
      const { names, types, encodedNames } = layoutOf(attrs);
      writer.mapHeader(names.length);
      for (let i = 0; i < names.length; i++) {
        writer.raw(encodedNames[i]);
        trail.push(names[i]);
        writeValue(value[names[i]], types[i], trail);
        trail.pop();
      }
      return;
    }
    default:
      throw new CodecError(`unsupported type ${JSON.stringify(type)}`, pathOf(trail));
  }
  throw mismatch(type, describeValue(value), trail);
}

function describeItem(kind: ItemKind): string {
  switch (kind) {
    case ARRAY: return "a sequence";
    case MAP: return "a map";
    case BINARY: return "bytes";
    case NUMBER: return "number";
    case STRING: return "string";
    case BOOL: return "boolean";
    default: return "another kind of item";
  }
}

function describeValue(value: CtyValue): string {
  if (Array.isArray(value)) return "a sequence";
  if (typeof value === "object" && value !== null) return "a map";
  return typeof value;
}

function mismatch(type: CtyType, got: string, trail: Trail): CodecError {
  const path = pathOf(trail);
  const where = path.length ? ` at ${pathToString(path)}` : "";
  return new CodecError(`expected ${JSON.stringify(type)}, got ${got}${where}`, path);
}
