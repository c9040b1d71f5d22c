// The provider's version, stamped into the bundle at build time (esbuild `define`), from package.json.
declare const __PROVIDER_VERSION__: string | undefined;

export const PROVIDER_VERSION: string =
  typeof __PROVIDER_VERSION__ === "string" ? __PROVIDER_VERSION__ : (require("../package.json") as { version: string }).version;

/** The provider's registry address, as Terraform and `terraform providers schema -json` name it. */
export const PROVIDER_ADDRESS = "registry.terraform.io/agynio/agyn";
