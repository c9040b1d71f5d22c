// Values in and out of the core: decoded with the schema of the type a request names (a value that does not
// fit becomes an "Invalid …" diagnostic at its path), encoded as msgpack for Terraform's every version.
import { type CtyObject, type CtyType, type CtyValue, ctyEqual, isObjectValue } from "../../schema/cty";
import { type Block, attributesOf, impliedType } from "../../schema/declaration";
import { DiagnosticError, error } from "../../schema/diagnostics";
import { CodecError } from "../codec/codec-error";
import { decodeJsonState } from "../codec/json-state";
import { decodeMsgpack, encodeMsgpack } from "../codec/msgpack";
import { structuredCloneValue } from "./planning";
import type { RawValue } from "./requests";

/** msgpack nil: how a null object is answered, readable by every Terraform since 0.12. */
export const NULL_MSGPACK = Uint8Array.of(0xc0);

/** A value that may be null (a destroyed or not yet created object). */
export function decodeNullableObject(raw: RawValue, block: Block, what: string): CtyObject | null {
  const value = decode(raw, impliedType(block), what);
  return value === null ? null : asObject(value, what);
}

/** A configuration: never null (an absent one is an object of nulls). */
export function decodeObject(raw: RawValue, block: Block, what: string): CtyObject {
  const value = decode(raw, impliedType(block), what);
  return value === null ? nullObject(block) : asObject(value, what);
}

/** State as a provider stored it, in JSON, read with the type it was written with. */
export function decodeStoredState(json: Uint8Array, type: CtyType): CtyObject {
  return asObject(decodingOrDiagnostic("stored state", () => decodeJsonState(json, type)), "stored state");
}

export function encodeObject(value: CtyObject, block: Block): Uint8Array {
  return encodeMsgpack(value, impliedType(block));
}

// A no-change plan sends most values twice or answers with what it was sent: Terraform proposes the prior state
// itself, and a read or a plan that changes nothing answers with the object it was given. Comparing bytes or
// values costs a fraction of decoding or encoding them (a tenth to a quarter, before V8 optimises the codec).

/** Like decodeNullableObject; when `raw` carries the very msgpack bytes `decoded` came from, a copy of it instead. */
export function decodeNullableObjectAgain(raw: RawValue, block: Block, what: string, decodedFrom: RawValue, decoded: CtyObject | null): CtyObject | null {
  if (decoded !== null && sameMsgpack(raw, decodedFrom)) return structuredCloneValue(decoded) as CtyObject;
  return decodeNullableObject(raw, block, what);
}

/**
 * `value` encoded; or, when it equals `sentValue`, the msgpack bytes Terraform sent it as (`sent`): cty's own
 * encoding of an equal value, which Terraform reads back as the same object. `value` being `sentValue` itself
 * proves nothing (the core may have changed it in place since, nulling write-only values), so it is encoded.
 */
export function encodeObjectAsSent(value: CtyObject, block: Block, sent: RawValue, sentValue: CtyObject | null): Uint8Array {
  if (sentValue !== null && value !== sentValue && sent.msgpack && sent.msgpack.length > 0 && ctyEqual(value, sentValue)) return sent.msgpack;
  return encodeObject(value, block);
}

function sameMsgpack(a: RawValue, b: RawValue): boolean {
  const x = a.msgpack;
  const y = b.msgpack;
  return x !== undefined && y !== undefined && x.length > 0 && x.length === y.length && Buffer.from(x.buffer, x.byteOffset, x.length).equals(y);
}

/** Write-only values are never kept: not in state, not in a plan. */
export function nullWriteOnly(block: Block, value: CtyObject): void {
  for (const [name, attr] of attributesOf(block)) if (attr.writeOnly) value[name] = null;
  for (const [name, nested] of Object.entries(block.blocks ?? {})) {
    const v = value[name];
    const objects = Array.isArray(v) ? v : isObjectValue(v) ? (nested.nesting === "map" ? Object.values(v) : [v]) : [];
    for (const o of objects) if (isObjectValue(o)) nullWriteOnly(nested.block, o);
  }
}

function decode(raw: RawValue, type: CtyType, what: string): CtyValue {
  return decodingOrDiagnostic(what, () => {
    if (raw.msgpack && raw.msgpack.length > 0) return decodeMsgpack(raw.msgpack, type);
    if (raw.json && raw.json.length > 0) return decodeJsonState(raw.json, type);
    return null;
  });
}

function asObject(value: CtyValue, what: string): CtyObject {
  if (!isObjectValue(value)) throw new DiagnosticError(error(`Invalid ${what}`, "Expected an object."));
  return value;
}

function nullObject(block: Block): CtyObject {
  const out: CtyObject = {};
  for (const name of Object.keys(block.attributes)) out[name] = null;
  for (const [name, nb] of Object.entries(block.blocks ?? {})) {
    out[name] = nb.nesting === "list" || nb.nesting === "set" ? [] : nb.nesting === "map" ? {} : nb.nesting === "group" ? nullObject(nb.block) : null;
  }
  return out;
}

/** A CodecError (a value that does not fit its type) becomes an "Invalid …" diagnostic at its path. */
function decodingOrDiagnostic(what: string, decode: () => CtyValue): CtyValue {
  try {
    return decode();
  } catch (err) {
    if (err instanceof CodecError) {
      throw new DiagnosticError(error(`Invalid ${what}`, `Terraform sent a value the provider could not decode: ${err.message}.`,
        err.path.length > 0 ? err.path : undefined));
    }
    throw err;
  }
}
