// The provider's schema exactly as `terraform providers schema -json` reports it, asked of the provider
// itself: build it (scripts/build.mjs), then run `bin/terraform-provider-agyn schema`. Going through the
// executable keeps the docs tied to what Terraform sees, not to where the declarations live in the source.
import { execFileSync } from "node:child_process";
import { join } from "node:path";

export function providerSchema(root) {
  run(process.execPath, [join(root, "scripts/build.mjs")], root, "build the provider");
  const out = run(join(root, "bin/terraform-provider-agyn"), ["schema"], root, "print the provider schema");
  const json = JSON.parse(out);
  const addresses = Object.keys(json.provider_schemas ?? {});
  if (addresses.length !== 1) throw new Error(`expected the schema of one provider, got ${addresses.length}`);
  return { address: addresses[0], schema: json.provider_schemas[addresses[0]] };
}

function run(command, args, cwd, what) {
  try {
    return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });
  } catch (err) {
    throw new Error(`could not ${what}: ${err.stderr || err.message}`);
  }
}
