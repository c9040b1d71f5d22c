// The release directory in the layout the public Registry and private registries ingest (the same files a
// goreleaser-built provider publishes): one zip per platform, the manifest, SHA256SUMS over both, and its
// detached binary GPG signature. A packed filesystem mirror of the same zips can be written beside it.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, linkSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { MIRROR_PROVIDER_PATH, checksumsName, manifestName, signatureName } from "../../release/platforms";
import { sha256 } from "./node-binaries";
import type { BuiltExecutable } from "./single-executable";

/** Terraform plugin protocol versions the provider serves, as the Registry's manifest spells them. */
export const PROTOCOL_VERSIONS = ["5.0", "6.0"] as const;

export interface ReleaseOptions {
  readonly version: string;
  readonly outDir: string;
  readonly builds: readonly BuiltExecutable[];
  /** A key id or fingerprint gpg can sign with (GNUPGHOME picks the keyring); none: an unsigned release. */
  readonly gpgKey?: string;
  /** Also write <mirrorDir>/registry.terraform.io/agynio/agyn/<zips> (a packed filesystem mirror). */
  readonly mirrorDir?: string;
}

export interface ReleaseResult {
  readonly files: readonly string[];
  readonly signed: boolean;
}

export function writeRelease(options: ReleaseOptions): ReleaseResult {
  const { version, outDir } = options;
  mkdirSync(outDir, { recursive: true });
  for (const stale of readdirSync(outDir)) {
    if (stale.startsWith("terraform-provider-agyn_")) rmSync(join(outDir, stale), { force: true });
  }
  const sums: [string, string][] = [];
  for (const build of options.builds) {
    const name = basename(build.zip);
    place(build.zip, join(outDir, name));
    sums.push([name, build.zipSha256]);
  }
  const manifest = Buffer.from(JSON.stringify({ version: 1, metadata: { protocol_versions: PROTOCOL_VERSIONS } }, null, 2) + "\n");
  writeFileSync(join(outDir, manifestName(version)), manifest);
  sums.push([manifestName(version), sha256(manifest)]);
  sums.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const checksums = join(outDir, checksumsName(version));
  writeFileSync(checksums, sums.map(([name, digest]) => `${digest}  ${name}\n`).join(""));

  let signed = false;
  if (options.gpgKey) {
    signChecksums(checksums, join(outDir, signatureName(version)), options.gpgKey);
    signed = true;
  }
  if (options.mirrorDir) writePackedMirror(options.mirrorDir, options.builds);
  return { files: readdirSync(outDir).filter((f) => f.startsWith("terraform-provider-agyn_")).sort(), signed };
}

/** gpg --detach-sign: a binary signature, as the Registry expects next to SHA256SUMS. */
export function signChecksums(checksums: string, signature: string, key: string): void {
  if (spawnSync("gpg", ["--version"], { stdio: "ignore" }).status !== 0) {
    throw new Error("gpg is needed to sign the release (Debian: apt-get install gnupg)");
  }
  execFileSync("gpg", ["--batch", "--yes", "--local-user", key, "--output", signature, "--detach-sign", checksums], {
    stdio: ["ignore", "inherit", "inherit"],
  });
}

function writePackedMirror(mirrorDir: string, builds: readonly BuiltExecutable[]): void {
  // Only packed archives: an unpacked copy of the same version would be preferred and need its own hashes.
  rmSync(mirrorDir, { recursive: true, force: true });
  const dir = join(mirrorDir, ...MIRROR_PROVIDER_PATH);
  mkdirSync(dir, { recursive: true });
  for (const build of builds) place(build.zip, join(dir, basename(build.zip)));
}

/** A hard link where the file system allows it (the zips are large), else a copy. */
function place(from: string, to: string): void {
  rmSync(to, { force: true });
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}
