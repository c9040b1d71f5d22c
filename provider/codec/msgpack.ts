// The cty msgpack wire format (Terraform's DynamicValue.msgpack), driven by the schema's implied type.
// This module and json-state.ts are the only places in the provider that know how values are encoded.
import { Decoder, Encoder, ExtData } from "@msgpack/msgpack";
import { type CtyType, type CtyValue, DecimalNumber, DynamicValueOf, Unknown, type UnknownRefinements, isObjectValue } from "../../schema/cty";
import { quoted } from "../../schema/diagnostics";
import { type Path, pathToString } from "../../schema/path";
import { CodecError } from "./codec-error";

/** cty writes an unknown as fixext1 type 0 with one zero byte: d4 00 00. */
const UNKNOWN_EXT = new ExtData(0, Uint8Array.of(0));
/** Refined unknowns (cty >= 1.14, Terraform >= 1.6) use ext type 12 with a map payload. */
const REFINED_UNKNOWN_EXT_TYPE = 12;

// One decoder and one encoder for the process: msgpack's decode() and encode() build a new one (key cache,
// 2 KiB buffer) per call, and Terraform sends several values in every call. Both are safe to re-enter.
const decoder = new Decoder({ useBigInt64: true });
const encoder = new Encoder({ useBigInt64: true, ignoreUndefined: false });

export function decodeMsgpack(bytes: Uint8Array, type: CtyType): CtyValue {
  let raw: unknown;
  try {
    raw = decoder.decode(bytes);
  } catch (err) {
    throw new CodecError(`invalid msgpack: ${(err as Error).message}`, []);
  }
  return fromWire(raw, type, []);
}

export function encodeMsgpack(value: CtyValue, type: CtyType): Uint8Array {
  // encode() copies out of the encoder's buffer (encodeSharedRef would not), so the result is the caller's own.
  return encoder.encode(toWire(value, type, []));
}

function fromWire(raw: unknown, type: CtyType, path: Path): CtyValue {
  if (raw === null || raw === undefined) return null;
  if (raw instanceof ExtData) return decodeUnknown(raw);
  if (typeof type === "string") {
    switch (type) {
      case "string":
        if (typeof raw === "string") return raw;
        break;
      case "bool":
        if (typeof raw === "boolean") return raw;
        break;
      case "number":
        return decodeNumber(raw, path);
      case "dynamic":
        return decodeDynamic(raw, path);
    }
    throw mismatch(type, raw, path);
  }
  const [kind, inner] = type;
  switch (kind) {
    case "list":
    case "set":
      if (!Array.isArray(raw)) throw mismatch(type, raw, path);
      return raw.map((el, i) => fromWire(el, inner as CtyType, [...path, { index: i }]));
    case "tuple": {
      const types = inner as readonly CtyType[];
      if (!Array.isArray(raw) || raw.length !== types.length) throw mismatch(type, raw, path);
      return raw.map((el, i) => fromWire(el, types[i], [...path, { index: i }]));
    }
    case "map": {
      if (!isPlainMap(raw)) throw mismatch(type, raw, path);
      const out: { [k: string]: CtyValue } = {};
      for (const [k, v] of Object.entries(raw)) out[k] = fromWire(v, inner as CtyType, [...path, { key: k }]);
      return out;
    }
    case "object": {
      if (!isPlainMap(raw)) throw mismatch(type, raw, path);
      const attrs = inner as { readonly [name: string]: CtyType };
      for (const k of Object.keys(raw)) {
        if (!(k in attrs)) throw new CodecError(`unsupported attribute ${quoted(k)}`, path);
      }
      const out: { [k: string]: CtyValue } = {};
      for (const [name, attrType] of Object.entries(attrs)) {
        out[name] = fromWire((raw as Record<string, unknown>)[name], attrType, [...path, { attr: name }]);
      }
      return out;
    }
  }
  throw new CodecError(`unsupported type ${JSON.stringify(type)}`, path);
}

function decodeUnknown(ext: ExtData): Unknown {
  if (ext.type !== REFINED_UNKNOWN_EXT_TYPE) return new Unknown();
  // Refinements are advisory; anything we cannot read is ignored, as cty itself does for unknown keys.
  try {
    const payload = decoder.decode(ext.data as Uint8Array) as unknown;
    if (payload instanceof Map || typeof payload !== "object" || payload === null) return new Unknown();
    const p = payload as Record<string, unknown>;
    const refinements: UnknownRefinements = {};
    if (p["1"] === false) refinements.notNull = true;
    if (typeof p["2"] === "string") refinements.stringPrefix = p["2"];
    return new Unknown(refinements);
  } catch {
    return new Unknown();
  }
}

function decodeNumber(raw: unknown, path: Path): CtyValue {
  if (typeof raw === "number") {
    if (!Number.isFinite(raw)) throw new CodecError("number is not finite", path);
    return raw;
  }
  if (typeof raw === "bigint") {
    const n = Number(raw);
    return Number.isSafeInteger(n) ? n : new DecimalNumber(raw.toString());
  }
  if (typeof raw === "string") {
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw.trim())) {
      throw new CodecError(`${quoted(raw)} is not a number`, path);
    }
    return new DecimalNumber(raw);
  }
  throw mismatch("number", raw, path);
}

function decodeDynamic(raw: unknown, path: Path): CtyValue {
  if (!Array.isArray(raw) || raw.length !== 2 || !(raw[0] instanceof Uint8Array)) {
    throw new CodecError("dynamic value must be [type JSON, value]", path);
  }
  let type: CtyType;
  try {
    type = JSON.parse(Buffer.from(raw[0]).toString("utf8")) as CtyType;
  } catch {
    throw new CodecError("dynamic value has an invalid type", path);
  }
  return new DynamicValueOf(type, fromWire(raw[1], type, path));
}

function toWire(value: CtyValue, type: CtyType, path: Path): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Unknown) return UNKNOWN_EXT;
  if (typeof type === "string") {
    switch (type) {
      case "string":
        if (typeof value === "string") return value.normalize("NFC");
        break;
      case "bool":
        if (typeof value === "boolean") return value;
        break;
      case "number":
        if (typeof value === "number" && Number.isFinite(value)) return value;
        if (value instanceof DecimalNumber) return value.text;
        break;
      case "dynamic":
        if (value instanceof DynamicValueOf) {
          return [new TextEncoder().encode(JSON.stringify(value.type)), toWire(value.value, value.type, path)];
        }
        break;
    }
    throw mismatch(type, value, path);
  }
  const [kind, inner] = type;
  switch (kind) {
    case "list":
    case "set":
      if (Array.isArray(value)) return value.map((el, i) => toWire(el, inner as CtyType, [...path, { index: i }]));
      break;
    case "tuple": {
      const types = inner as readonly CtyType[];
      if (Array.isArray(value) && value.length === types.length) {
        return value.map((el, i) => toWire(el, types[i], [...path, { index: i }]));
      }
      break;
    }
    case "map":
      if (isObjectValue(value)) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) out[k] = toWire(v, inner as CtyType, [...path, { key: k }]);
        return out;
      }
      break;
    case "object":
      if (isObjectValue(value)) {
        const attrs = inner as { readonly [name: string]: CtyType };
        for (const k of Object.keys(value)) {
          if (!(k in attrs)) throw new CodecError(`unsupported attribute ${quoted(k)}`, path);
        }
        // Terraform's decoder rejects objects that lack any attribute, so every key is always written.
        const out: Record<string, unknown> = {};
        for (const [name, attrType] of Object.entries(attrs)) {
          out[name] = toWire(value[name] ?? null, attrType, [...path, { attr: name }]);
        }
        return out;
      }
      break;
  }
  throw mismatch(type, value, path);
}

function isPlainMap(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === "object" && raw !== null && !Array.isArray(raw) && !(raw instanceof Uint8Array) &&
    !(raw instanceof ExtData);
}

function describe(raw: unknown): string {
  if (Array.isArray(raw)) return "a sequence";
  if (raw instanceof Uint8Array) return "bytes";
  if (typeof raw === "object" && raw !== null) return "a map";
  return typeof raw === "bigint" ? "number" : typeof raw;
}

function mismatch(type: CtyType, raw: unknown, path: Path): CodecError {
  const where = path.length ? ` at ${pathToString(path)}` : "";
  return new CodecError(`expected ${JSON.stringify(type)}, got ${describe(raw)}${where}`, path);
}
