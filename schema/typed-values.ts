// TypeScript types derived from a schema declaration, so provider code reads `planned.description` as a
// string instead of casting cty values. Declare a schema `as const satisfies Schema` to keep the literal
// attribute types these mapped types need.
import type { CtyType, CtyValue, DecimalNumber, Unknown } from "./cty";
import type { Attribute, Block } from "./declaration";

/** The value of a cty type; U is `Unknown` where values may still be unknown, `never` where all are known. */
export type ValueOfType<T extends CtyType, U = never> =
  T extends "string" ? string
  : T extends "bool" ? boolean
  : T extends "number" ? number | DecimalNumber
  : T extends readonly ["list" | "set", infer E extends CtyType] ? (ValueOfType<E, U> | U)[]
  : T extends readonly ["map", infer E extends CtyType] ? { [key: string]: ValueOfType<E, U> | U }
  : T extends readonly ["object", infer O extends { readonly [name: string]: CtyType }]
    ? { -readonly [K in keyof O]: ValueOfType<O[K], U> | null | U }
  : CtyValue;

/** A required attribute is never null once Terraform has checked the configuration. */
type Nullable<A extends Attribute> = A extends { readonly required: true } ? never : null;

type Attributes<B extends Block> = B["attributes"];

/** Wholly known values: state, a data source's configuration and result, an import. */
export type KnownValues<B extends Block> = {
  -readonly [K in keyof Attributes<B>]: ValueOfType<Attributes<B>[K]["type"]> | Nullable<Attributes<B>[K]>;
};

/** Values while planning or validating: any of them may still be unknown. */
export type PlanningValues<B extends Block> = {
  -readonly [K in keyof Attributes<B>]: ValueOfType<Attributes<B>[K]["type"], Unknown> | Nullable<Attributes<B>[K]> | Unknown;
};

/** Values at apply: the configuration is known by then; only what the provider computes may be unknown. */
export type ApplyingValues<B extends Block> = {
  -readonly [K in keyof Attributes<B>]: ValueOfType<Attributes<B>[K]["type"]> | Nullable<Attributes<B>[K]>
    | (Attributes<B>[K] extends { readonly computed: true } ? Unknown : never);
};
