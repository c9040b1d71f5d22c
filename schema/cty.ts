// cty types and values as the provider sees them. The type grammar is exactly cty's JSON form, so a type
// can be sent to Terraform (Schema.Attribute.type) with JSON.stringify and nothing else.

export type CtyType =
  | "string"
  | "number"
  | "bool"
  | "dynamic"
  | readonly ["list", CtyType]
  | readonly ["set", CtyType]
  | readonly ["map", CtyType]
  | readonly ["object", { readonly [name: string]: CtyType }]
  | readonly ["tuple", readonly CtyType[]];

/** A value Terraform does not know yet. Refinements (TF >= 1.6) are kept for inspection but never sent back. */
export class Unknown {
  /** Makes the class nominal: structurally, any string (it has toString) would otherwise pass for an Unknown. */
  private readonly unknownBrand = true;
  constructor(readonly refinements?: UnknownRefinements) {}
  toString(): string {
    return "(known after apply)";
  }
}
export interface UnknownRefinements {
  notNull?: boolean;
  stringPrefix?: string;
}
export const unknown = new Unknown();

/**
 * A number that arrived as a decimal string (cty sends numbers that are not exact int64/float64 that way,
 * e.g. the config literal 0.1). Kept verbatim so a planned value still equals the configuration exactly.
 */
export class DecimalNumber {
  constructor(readonly text: string) {}
  valueOf(): number {
    return Number(this.text);
  }
  toString(): string {
    return this.text;
  }
}

export type CtyValue =
  | null
  | Unknown
  | string
  | number
  | DecimalNumber
  | boolean
  | CtyValue[]
  | { [key: string]: CtyValue }
  | DynamicValueOf;

/** A value of type "dynamic" carries its concrete type with it. */
export class DynamicValueOf {
  constructor(readonly type: CtyType, readonly value: CtyValue) {}
}

export type CtyObject = { [key: string]: CtyValue };

export function isUnknown(v: unknown): v is Unknown {
  return v instanceof Unknown;
}

export function isObjectValue(v: CtyValue): v is CtyObject {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Unknown) &&
    !(v instanceof DecimalNumber) && !(v instanceof DynamicValueOf);
}

/** True when no part of the value is unknown. */
export function isWhollyKnown(v: CtyValue): boolean {
  if (v instanceof Unknown) return false;
  if (v instanceof DynamicValueOf) return isWhollyKnown(v.value);
  if (Array.isArray(v)) return v.every(isWhollyKnown);
  if (isObjectValue(v)) return Object.values(v).every(isWhollyKnown);
  return true;
}

/**
 * The one rule for "is this argument set": known and not null. An unknown value is not set yet — it may
 * still turn out null — so a check that depends on it runs again once it is known (the core re-validates
 * at Configure, apply and read, where every value is known).
 */
export function isSet(v: CtyValue | undefined): boolean {
  return v !== undefined && v !== null && !isUnknown(v);
}

/** The object's top-level unknowns as null: what a failed apply records of values it never learned. */
export function unknownsAsNull<T extends { readonly [key: string]: CtyValue }>(object: T): { [K in keyof T]: Exclude<T[K], Unknown> | null } {
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, isUnknown(v) ? null : v])) as { [K in keyof T]: Exclude<T[K], Unknown> | null };
}

/** Structural equality as cty sees it: unknown equals only unknown; numbers compare by value. */
export function ctyEqual(a: CtyValue, b: CtyValue): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (a instanceof Unknown || b instanceof Unknown) return a instanceof Unknown && b instanceof Unknown;
  const na = numberText(a);
  const nb = numberText(b);
  if (na !== undefined || nb !== undefined) return na !== undefined && nb !== undefined && sameNumber(na, nb);
  if (a instanceof DynamicValueOf || b instanceof DynamicValueOf) {
    return a instanceof DynamicValueOf && b instanceof DynamicValueOf &&
      JSON.stringify(a.type) === JSON.stringify(b.type) && ctyEqual(a.value, b.value);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => ctyEqual(x, b[i]));
  }
  if (isObjectValue(a) && isObjectValue(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => k in b && ctyEqual(a[k], b[k]));
  }
  return false;
}

function numberText(v: CtyValue): string | undefined {
  if (typeof v === "number") return String(v);
  if (v instanceof DecimalNumber) return v.text;
  return undefined;
}

function sameNumber(a: string, b: string): boolean {
  if (a === b) return true;
  return canonicalDecimal(a) === canonicalDecimal(b);
}

/** Canonical text of a decimal so "1.50", "1.5" and "15e-1" compare equal without float rounding. */
export function canonicalDecimal(text: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m) return text;
  const [, sign, intPart = "", fracPart = "", expPart = "0"] = m;
  let digits = (intPart + fracPart).replace(/^0+/, "");
  let exp = Number(expPart) - fracPart.length;
  if (digits === "") return "0";
  while (digits.endsWith("0")) {
    digits = digits.slice(0, -1);
    exp += 1;
  }
  return `${sign === "-" ? "-" : ""}${digits}e${exp}`;
}
