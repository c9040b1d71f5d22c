// A block with one attribute of each kind, for tests of the framework's planning and consistency rules.
import type { CtyObject } from "../../schema/cty";
import type { Block } from "../../schema/declaration";

/** name: required; note: optional; id: computed; mode: optional+computed; secret: write-only. */
export const block: Block = {
  description: "test",
  attributes: {
    name: { type: "string", description: "", required: true },
    note: { type: "string", description: "", optional: true },
    id: { type: "string", description: "", computed: true },
    mode: { type: "string", description: "", optional: true, computed: true },
    secret: { type: "string", description: "", optional: true, writeOnly: true, sensitive: true },
  },
};

/** A value of `block`: every attribute present, null unless given. */
export const obj = (v: Partial<Record<"name" | "note" | "id" | "mode" | "secret", CtyObject[string]>>): CtyObject =>
  ({ name: null, note: null, id: null, mode: null, secret: null, ...v });
