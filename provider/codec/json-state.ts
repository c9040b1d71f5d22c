// JSON raw state (UpgradeResourceState, MoveResourceState): the state's attributes as written by an earlier
// schema. Unlike msgpack it cannot hold unknowns; missing keys mean null and keys the schema no longer has
// are dropped, as Terraform's own JSON decoder does.
import { type CtyType, type CtyValue, DecimalNumber } from "../../schema/cty";
import type { Path } from "../../schema/path";
import { CodecError } from "./codec-error";

export function decodeJsonState(bytes: Uint8Array, type: CtyType): CtyValue {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch (err) {
    throw new CodecError(`invalid JSON state: ${(err as Error).message}`, []);
  }
  return fromJson(raw, type, []);
}

function fromJson(raw: unknown, type: CtyType, path: Path): CtyValue {
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
        throw new CodecError("dynamic values are not supported in stored state", path);
    }
    throw new CodecError(`expected ${type} in stored state`, path);
  }
  const [kind, inner] = type;
  if (kind === "list" || kind === "set" || kind === "tuple") {
    if (!Array.isArray(raw)) throw new CodecError(`expected ${kind} in stored state`, path);
    return raw.map((el, i) =>
      fromJson(el, kind === "tuple" ? (inner as readonly CtyType[])[i] : (inner as CtyType), [...path, { index: i }]),
    );
  }
  if (typeof raw !== "object" || Array.isArray(raw)) throw new CodecError(`expected ${kind} in stored state`, path);
  const obj = raw as Record<string, unknown>;
  const out: { [k: string]: CtyValue } = {};
  if (kind === "map") {
    for (const [k, v] of Object.entries(obj)) out[k] = fromJson(v, inner as CtyType, [...path, { key: k }]);
    return out;
  }
  for (const [name, attrType] of Object.entries(inner as { readonly [n: string]: CtyType })) {
    out[name] = fromJson(obj[name], attrType, [...path, { attr: name }]);
  }
  return out;
}
