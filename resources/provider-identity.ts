// Who this provider is: its version (package.json, the one source; esbuild inlines just this field) and
// the registry address Terraform and `terraform providers schema -json` know it by.
import { version } from "../package.json";

export const PROVIDER_VERSION: string = version;

export const PROVIDER_ADDRESS = "registry.terraform.io/agynio/agyn";
