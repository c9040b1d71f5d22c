// How a provider, resource or data source declares its schema. One declaration feeds GetProviderSchema for
// both protocol versions, `terraform-provider-agyn schema`, the docs and the cdktf bindings.
import type { CtyType, CtyValue, CtyObject } from "./cty";
import type { Diagnostic } from "./diagnostics";
import type { Path } from "./path";

export interface Attribute {
  readonly type: CtyType;
  /** Plain-text description; also the fallback where markdown is not rendered. */
  readonly description: string;
  /** Markdown description for the Registry docs; sent to Terraform when present. */
  readonly markdownDescription?: string;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly sensitive?: boolean;
  readonly writeOnly?: boolean;
  /** Set to mark the attribute deprecated; the text tells users what to do instead. */
  readonly deprecationMessage?: string;
  readonly planModifiers?: readonly PlanModifier[];
  readonly validators?: readonly Validator[];
}

export type Nesting = "single" | "group" | "list" | "set" | "map";

export interface NestedBlock {
  readonly nesting: Nesting;
  readonly block: Block;
  readonly minItems?: number;
  readonly maxItems?: number;
}

export interface Block {
  readonly description: string;
  readonly markdownDescription?: string;
  readonly deprecationMessage?: string;
  readonly attributes: { readonly [name: string]: Attribute };
  readonly blocks?: { readonly [name: string]: NestedBlock };
}

export interface Schema {
  readonly version: number;
  readonly block: Block;
}

/** Checks one known, non-null attribute value; runs during validation, before any credentials exist. */
export interface Validator {
  readonly description: string;
  validate(value: CtyValue, path: Path): Diagnostic[];
}

export interface AttributePlanRequest {
  readonly path: Path;
  /** The attribute's configuration value (may be unknown). */
  readonly config: CtyValue;
  /** The attribute's prior state, or undefined when the resource is being created. */
  readonly prior: CtyValue | undefined;
  /** The value planned so far (proposed new state after earlier modifiers). */
  readonly planned: CtyValue;
  /** The object holding the attribute, in prior state: null when it is being created. */
  readonly priorState: CtyObject | null;
  /** The object holding the attribute, in the configuration: null for a set element, which has no place. */
  readonly configState: CtyObject | null;
}

export interface AttributePlanResult {
  readonly planned?: CtyValue;
  readonly requiresReplace?: boolean;
  readonly diagnostics?: Diagnostic[];
}

/** A reusable piece of plan behaviour, such as "requires replace" or "use prior state for unknown". */
export interface PlanModifier {
  readonly description: string;
  modify(req: AttributePlanRequest): AttributePlanResult;
}

// Declarations never change after they are made, and every decode and encode of a value asks for its type.
const impliedTypes = new WeakMap<Block, CtyType>();
const attributeLists = new WeakMap<Block, readonly (readonly [string, Attribute])[]>();

/** A block's attributes as [name, declaration] pairs, made once per block: the planning rules walk them on every call. */
export function attributesOf(block: Block): readonly (readonly [string, Attribute])[] {
  let list = attributeLists.get(block);
  if (list === undefined) {
    list = Object.entries(block.attributes);
    attributeLists.set(block, list);
  }
  return list;
}

/** The object type a block's values have on the wire. */
export function impliedType(block: Block): CtyType {
  let type = impliedTypes.get(block);
  if (type === undefined) {
    type = computeImpliedType(block);
    impliedTypes.set(block, type);
  }
  return type;
}

function computeImpliedType(block: Block): CtyType {
  const attrs: { [name: string]: CtyType } = {};
  for (const [name, a] of Object.entries(block.attributes)) attrs[name] = a.type;
  for (const [name, nb] of Object.entries(block.blocks ?? {})) {
    const inner = impliedType(nb.block);
    switch (nb.nesting) {
      case "single":
      case "group":
        attrs[name] = inner;
        break;
      case "list":
        attrs[name] = ["list", inner];
        break;
      case "set":
        attrs[name] = ["set", inner];
        break;
      case "map":
        attrs[name] = ["map", inner];
        break;
    }
  }
  return ["object", attrs];
}
