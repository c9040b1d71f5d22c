// The objects of a block's nested blocks, as validation, planning and the consistency checks walk them:
// each with the path that reaches it and a way to find the object at the same place in the prior state or
// the configuration (list elements by index, map elements by key; set elements have no place but their value).
import { type CtyObject, type CtyValue, isObjectValue } from "./cty";
import type { Block, NestedBlock } from "./declaration";
import type { Path, PathStep } from "./path";

export interface NestedObject {
  readonly block: Block;
  readonly object: CtyObject;
  readonly path: Path;
  /** False for a set element: it has no place but its value, so samePlaceIn() finds nothing. */
  readonly placed: boolean;
  /** The object at the same place in another value of the parent block, or null. */
  samePlaceIn(parent: CtyObject | null): CtyObject | null;
}

/** The direct nested objects of `parent` (not their own nested blocks: callers recurse with these). */
export function nestedObjects(block: Block, parent: CtyObject, path: Path): NestedObject[] {
  const out: NestedObject[] = [];
  for (const [name, nested] of Object.entries(block.blocks ?? {})) {
    const value = parent[name] ?? null;
    for (const [step, object] of elements(nested, value)) {
      // A set element cannot be addressed: diagnostics about it point at the set.
      const at: Path = step === undefined || step === null ? [...path, { attr: name }] : [...path, { attr: name }, step];
      out.push({
        block: nested.block,
        object,
        path: at,
        placed: step !== null,
        samePlaceIn: (other) => (other === null || step === null ? null : elementAt(nested, other[name] ?? null, step)),
      });
    }
  }
  return out;
}

/** [step to the element (undefined for single/group, null for set elements), element] pairs. */
function elements(nested: NestedBlock, value: CtyValue): [PathStep | undefined | null, CtyObject][] {
  switch (nested.nesting) {
    case "single":
    case "group":
      return isObjectValue(value) ? [[undefined, value]] : [];
    case "list":
      return Array.isArray(value) ? value.flatMap((el, index) => (isObjectValue(el) ? [[{ index }, el] as [PathStep, CtyObject]] : [])) : [];
    case "set":
      return Array.isArray(value) ? value.filter(isObjectValue).map((el) => [null, el] as [null, CtyObject]) : [];
    case "map":
      return isObjectValue(value)
        ? Object.entries(value).flatMap(([key, el]) => (isObjectValue(el) ? [[{ key }, el] as [PathStep, CtyObject]] : []))
        : [];
  }
}

function elementAt(nested: NestedBlock, value: CtyValue, step: PathStep | undefined): CtyObject | null {
  let found: CtyValue | undefined;
  if (step === undefined) found = value;
  else if ("index" in step) found = Array.isArray(value) ? value[step.index] : undefined;
  else if ("key" in step) found = isObjectValue(value) ? value[step.key] : undefined;
  return found !== undefined && isObjectValue(found) && nested.nesting !== "set" ? found : null;
}
