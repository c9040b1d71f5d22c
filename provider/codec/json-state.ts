// JSON raw state (UpgradeResourceState, MoveResourceState): the state's attributes as written by an earlier
// schema. Unlike msgpack it cannot hold unknowns; missing keys mean null and keys the schema no longer has
// are dropped, as Terraform's own JSON decoder does.
import { type CtyType, type CtyValue, DecimalNumber } from "../../schema/cty";
import { CodecError } from "./codec-error";
import { setMapEntry } from "./map-entry";
import { type Trail, pathOf } from "./trail";

export function decodeJsonState(bytes: Uint8Array, type: CtyType): CtyValue {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch (err) {
    throw new CodecError(`invalid JSON state: ${(err as Error).message}`, []);
  }
  return fromJson(raw, type, []);
}

function fromJson(raw: unknown, type: CtyType, trail: Trail): CtyValue {
  if (raw === null || raw === undefined) return null;
  if (typeof type === "string") {
    switch (type) {
      case "string":
        if (typeof raw === "string") return raw;
        // Legacy SDK state sometimes stored scalars loosely; cty's JSON decoder converts them too.
        if (typeof raw === "number" || typeof raw === "boolean") return String(raw);
        break;
      case "bool":
        if (typeof raw === "boolean") return raw;
        if (raw === "true" || raw === "false") return raw === "true";
        break;
      case "number":
        if (typeof raw === "number") return raw;
        if (typeof raw === "string" && raw.trim() !== "" && !Number.isNaN(Number(raw))) return new DecimalNumber(raw);
        break;
      case "dynamic":
        throw new CodecError("dynamic values are not supported in stored state", pathOf(trail));
    }
    throw new CodecError(`expected ${type} in stored state`, pathOf(trail));
  }
  const [kind, inner] = type;
  if (kind === "list" || kind === "set" || kind === "tuple") {
    if (!Array.isArray(raw)) throw new CodecError(`expected ${kind} in stored state`, pathOf(trail));
    const out: CtyValue[] = [];
    for (let i = 0; i < raw.length; i++) {
      trail.push(i);
      out.push(fromJson(raw[i], kind === "tuple" ? (inner as readonly CtyType[])[i] : (inner as CtyType), trail));
      trail.pop();
    }
    return out;
  }
  if (typeof raw !== "object" || Array.isArray(raw)) throw new CodecError(`expected ${kind} in stored state`, pathOf(trail));
  const obj = raw as Record<string, unknown>;
  const out: { [k: string]: CtyValue } = {};
  if (kind === "map") {
    for (const key of Object.keys(obj)) {
      trail.push({ key });
      setMapEntry(out, key, fromJson(obj[key], inner as CtyType, trail));
      trail.pop();
    }
    return out;
  }
  const attrs = inner as { readonly [n: string]: CtyType };
  for (const name in attrs) {
    trail.push(name);
    out[name] = fromJson(Object.hasOwn(obj, name) ? obj[name] : null, attrs[name], trail);
    trail.pop();
  }
  return out;
}
