// The platforms a release is built for, named as Terraform names them (Go's GOOS_GOARCH), and the file names
// Terraform and the Registry expect for each. Shared by the release build and `terraform-provider-agyn install`.

export const RELEASE_PLATFORMS = ["linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64", "windows_amd64"] as const;
export type ReleasePlatform = (typeof RELEASE_PLATFORMS)[number];

/** The provider's type name: every file name below starts with terraform-provider-<type>. */
export const PROVIDER_TYPE = "agyn";
/** Where Terraform looks for this provider inside a filesystem mirror: <hostname>/<namespace>/<type>. */
export const MIRROR_PROVIDER_PATH = ["registry.terraform.io", "agynio", PROVIDER_TYPE] as const;

const GO_OS: Partial<Record<NodeJS.Platform, string>> = { linux: "linux", darwin: "darwin", win32: "windows" };
const GO_ARCH: Partial<Record<string, string>> = { x64: "amd64", arm64: "arm64" };

/** This machine as Terraform names it (e.g. "linux_amd64"), whether or not a release exists for it. */
export function terraformPlatform(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  return `${GO_OS[platform] ?? platform}_${GO_ARCH[arch] ?? arch}`;
}

export function isReleasePlatform(name: string): name is ReleasePlatform {
  return (RELEASE_PLATFORMS as readonly string[]).includes(name);
}

/** terraform-provider-agyn_v<version>, with .exe on Windows: the name Terraform runs inside a package directory. */
export function executableName(version: string, platform: ReleasePlatform | string): string {
  return `terraform-provider-${PROVIDER_TYPE}_v${version}${platform.startsWith("windows_") ? ".exe" : ""}`;
}

/** terraform-provider-agyn_<version>_<os>_<arch>.zip: the Registry's archive name and a packed mirror's. */
export function archiveName(version: string, platform: ReleasePlatform): string {
  return `terraform-provider-${PROVIDER_TYPE}_${version}_${platform}.zip`;
}

export function checksumsName(version: string): string {
  return `terraform-provider-${PROVIDER_TYPE}_${version}_SHA256SUMS`;
}

export function signatureName(version: string): string {
  return `${checksumsName(version)}.sig`;
}

export function manifestName(version: string): string {
  return `terraform-provider-${PROVIDER_TYPE}_${version}_manifest.json`;
}
