// Where a codec is inside a value, kept as a stack it pushes and pops as it goes: attribute names, list indexes
// and map keys. Decoding a value touches every attribute, and a path object per step would be most of the
// garbage a plan makes; a Path is built from the trail only when a value does not fit and an error needs one.
import type { Path, PathStep } from "../../schema/path";

export type Trail = (string | number | { readonly key: string })[];

export function pathOf(trail: Trail): Path {
  return trail.map((s): PathStep => (typeof s === "string" ? { attr: s } : typeof s === "number" ? { index: s } : { key: s.key }));
}
