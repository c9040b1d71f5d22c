// A schema-only stand-in for hashicorp/time, so the docs' `time_rotating` rotation pattern can be checked by
// `terraform validate` on machines without registry access. It declares time_rotating's published schema
// (arguments and attributes as the Registry documents them) on this repository's plugin framework and
// refuses every operation that would need the real provider: it is for validation only.
import type { ProviderDefinition, ResourceDefinition } from "../../../provider/definition";
import { launchedByTerraform } from "../../../provider/server/handshake";
import { serveTerraform } from "../../../provider/server/serve";
import type { Attribute } from "../../../schema/declaration";
import { error } from "../../../schema/diagnostics";

const optional = (type: Attribute["type"], description: string): Attribute => ({ type, optional: true, description });
const optionalComputed = (type: Attribute["type"], description: string): Attribute => ({ type, optional: true, computed: true, description });
const computed = (type: Attribute["type"], description: string): Attribute => ({ type, computed: true, description });

const refused = [error("Stand-in provider", "This hashicorp/time stand-in only answers schema and validation calls.")];

const timeRotating: ResourceDefinition<null> = {
  typeName: "time_rotating",
  schema: {
    version: 0,
    block: {
      description: "Stand-in for time_rotating (validation only).",
      attributes: {
        rfc3339: optionalComputed("string", "Base timestamp (RFC 3339); defaults to now."),
        rotation_days: optional("number", "Days after the base timestamp to rotate."),
        rotation_hours: optional("number", "Hours after the base timestamp to rotate."),
        rotation_minutes: optional("number", "Minutes after the base timestamp to rotate."),
        rotation_months: optional("number", "Months after the base timestamp to rotate."),
        rotation_years: optional("number", "Years after the base timestamp to rotate."),
        rotation_rfc3339: optionalComputed("string", "Rotation timestamp (RFC 3339)."),
        triggers: optional(["map", "string"], "Values that, when changed, set a new base timestamp."),
        id: computed("string", "The base timestamp."),
        day: computed("number", "Day of the timestamp."),
        hour: computed("number", "Hour of the timestamp."),
        minute: computed("number", "Minute of the timestamp."),
        month: computed("number", "Month of the timestamp."),
        second: computed("number", "Second of the timestamp."),
        unix: computed("number", "Seconds since the epoch."),
        year: computed("number", "Year of the timestamp."),
      },
    },
  },
  create: async () => ({ diagnostics: refused }),
  read: async () => ({ diagnostics: refused }),
  update: async () => ({ diagnostics: refused }),
  delete: async () => ({ diagnostics: refused }),
};

const standIn: ProviderDefinition<null> = {
  name: "time",
  address: "registry.terraform.io/hashicorp/time",
  secretShapes: [],
  version: "0.0.0-stand-in",
  schema: { version: 0, block: { description: "", attributes: {} } },
  configure: async () => ({ session: null }),
  resources: [timeRotating],
  dataSources: [],
  ephemeralResources: [],
};

if (launchedByTerraform(process.env)) {
  void serveTerraform(standIn).then((code) => process.exit(code));
} else {
  process.stderr.write("the hashicorp/time stand-in is launched by terraform only\n");
  process.exitCode = 1;
}
