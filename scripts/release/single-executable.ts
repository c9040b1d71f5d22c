// One Node.js single-executable application per platform: the provider bundle as a SEA preparation blob,
// injected into that platform's official node binary with postject, then made valid for its OS (an ad-hoc
// signature on macOS, a clean unsigned PE on Windows). Each result and its zip are cached in dist/sea/<platform>/
// and reused while the bundle, the pinned node binary and this tool are unchanged.
//
// Code cache: V8's code cache in the blob can only be made by the Node build that will load it, so a target
// gets one only when its node can run here — natively, or for the other Linux architecture under qemu-user
// (Debian's qemu-user with the arm64/amd64 cross C libraries). Other targets get a blob without code cache,
// made by this machine's pinned node of the same version (the blob format is platform-neutral then).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { archiveName, executableName, terraformPlatform, type ReleasePlatform } from "../../release/platforms";
import { createZip } from "../../release/zip-archive";
import { signAdHoc } from "./macho-ad-hoc-signature";
import { nodeBinary, sha256, type NodePins } from "./node-binaries";
import { removeAuthenticodeSignature, withPeChecksum } from "./pe-authenticode";

/** The fuse Node's SEA support looks for; postject flips its last character to mark a blob as present. */
export const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";
export const SEA_RESOURCE = "NODE_SEA_BLOB";
const MACHO_IDENTIFIER = "terraform-provider-agyn";

export interface BuildInputs {
  readonly version: string;
  readonly bundle: string;
  readonly pins: NodePins;
  /** Extracted node binaries. */
  readonly nodeCache: string;
  /** dist/sea: one directory per platform. */
  readonly seaDir: string;
  readonly postjectCli: string;
  /** Changes whenever this tool changes, so a fixed tool rebuilds. */
  readonly toolHash: string;
  readonly zipTime: Date;
}

export interface BuiltExecutable {
  readonly platform: ReleasePlatform;
  readonly executable: string;
  readonly zip: string;
  readonly zipSha256: string;
  readonly executableSha256: string;
  readonly codeCache: boolean;
  /** How it was checked to start here ("ran --version natively", "… under qemu-aarch64", or not). */
  readonly smokeTest: string;
  readonly reused: boolean;
  readonly seconds: number;
}

interface BuildRecord {
  readonly key: string;
  readonly codeCache: boolean;
  readonly smokeTest: string;
  readonly executableSha256: string;
  readonly zipSha256: string;
}

export async function buildExecutable(platform: ReleasePlatform, inputs: BuildInputs): Promise<BuiltExecutable> {
  const started = Date.now();
  const dir = join(inputs.seaDir, platform);
  const executable = join(dir, executableName(inputs.version, platform));
  const zip = join(dir, archiveName(inputs.version, platform));
  const recordFile = join(dir, "build.json");
  const runner = runnerFor(platform);
  const key = sha256(
    Buffer.from(
      JSON.stringify({
        bundle: sha256(readFileSync(inputs.bundle)),
        node: inputs.pins.platforms[platform].sha256,
        codeCache: runner !== undefined,
        tool: inputs.toolHash,
        zipTime: inputs.zipTime.toISOString(),
        version: inputs.version,
      }),
    ),
  );
  const previous = readRecord(recordFile);
  if (
    previous?.key === key &&
    existsSync(executable) &&
    existsSync(zip) &&
    sha256(readFileSync(executable)) === previous.executableSha256 &&
    sha256(readFileSync(zip)) === previous.zipSha256
  ) {
    return { platform, executable, zip, ...previous, reused: true, seconds: (Date.now() - started) / 1000 };
  }

  const work = mkdtempSync(join(tmpdir(), `agyn-sea-${platform}-`));
  try {
    const node = nodeBinary(inputs.pins, platform, inputs.nodeCache);
    const blob = join(work, "sea.blob");
    const codeCache = runner !== undefined;
    const [maker, ...makerArgs] = codeCache ? [...runner, node] : [hostNode(inputs)];
    // The blob records `main` as written (it names the script in stack traces), so it is given relative to
    // the bundle's directory: no path of the build machine ends up in the executable.
    writeFileSync(
      join(work, "sea-config.json"),
      JSON.stringify({ main: basename(inputs.bundle), output: blob, disableExperimentalSEAWarning: true, useCodeCache: codeCache, useSnapshot: false }),
    );
    // --predictable makes V8's code cache the same on every build (so are the executables and zips), and V8
    // leaves that flag out of the flag hash that decides whether a cache is accepted.
    run(maker, [...makerArgs, "--predictable", "--experimental-sea-config", join(work, "sea-config.json")], dirname(inputs.bundle));

    let image: Buffer = readFileSync(node);
    if (platform.startsWith("windows_")) image = removeAuthenticodeSignature(image);
    if (!image.includes(`${SEA_FUSE}:0`)) throw new Error(`${platform}: the node binary has no unflipped ${SEA_FUSE}`);
    const target = join(work, executableName(inputs.version, platform));
    writeFileSync(target, image, { mode: 0o755 });
    run(
      process.execPath,
      [inputs.postjectCli, target, SEA_RESOURCE, blob, "--sentinel-fuse", SEA_FUSE, ...(platform.startsWith("darwin_") ? ["--macho-segment-name", "NODE_SEA"] : [])],
      work,
    );
    image = readFileSync(target);
    if (platform.startsWith("darwin_")) image = signAdHoc(image, MACHO_IDENTIFIER);
    if (platform.startsWith("windows_")) image = withPeChecksum(image);
    if (!image.includes(`${SEA_FUSE}:1`)) throw new Error(`${platform}: postject left the SEA fuse unflipped`);
    writeFileSync(target, image, { mode: 0o755 });

    let smokeTest = "not run here (no way to run a " + platform + " binary on " + terraformPlatform() + ")";
    if (runner) {
      const [command, ...args] = [...runner, target, "--version"];
      const answer = run(command, args, work).trim();
      if (answer !== `terraform-provider-agyn ${inputs.version}`) throw new Error(`${platform}: --version answered "${answer}"`);
      smokeTest = runner.length ? `ran --version under ${runner[0].split("/").pop()}` : "ran --version natively";
    }
    const zipped = await createZip([{ name: executableName(inputs.version, platform), data: image, mode: 0o755 }], inputs.zipTime);

    mkdirSync(dir, { recursive: true });
    rmSync(recordFile, { force: true });
    renameSync(target, executable);
    writeFileSync(`${zip}.partial`, zipped);
    renameSync(`${zip}.partial`, zip);
    const record: BuildRecord = { key, codeCache, smokeTest, executableSha256: sha256(image), zipSha256: sha256(zipped) };
    writeFileSync(recordFile, JSON.stringify(record, null, 2) + "\n");
    return { platform, executable, zip, ...record, reused: false, seconds: (Date.now() - started) / 1000 };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * How to run a platform's node here, as a command prefix ([] = directly), or undefined when it cannot run.
 * Exported for the tests, which run the linux_arm64 executable the same way.
 */
export function runnerFor(platform: ReleasePlatform): string[] | undefined {
  const host = terraformPlatform();
  if (host === platform) return [];
  const foreignLinux: Partial<Record<string, { qemu: string; sysroot: string }>> = {
    linux_arm64: { qemu: "qemu-aarch64", sysroot: "/usr/aarch64-linux-gnu" },
    linux_amd64: { qemu: "qemu-x86_64", sysroot: "/usr/x86_64-linux-gnu" },
  };
  const emulation = host.startsWith("linux_") ? foreignLinux[platform] : undefined;
  if (!emulation || !existsSync(join(emulation.sysroot, "lib"))) return undefined;
  for (const name of [emulation.qemu, `${emulation.qemu}-static`]) {
    const found = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).stdout.trim();
    if (found) return [found, "-L", emulation.sysroot];
  }
  return undefined;
}

/** This machine's pinned node: it makes the code-cache-free blobs (same Node version as every target). */
function hostNode(inputs: BuildInputs): string {
  const host = terraformPlatform();
  if (!(host in inputs.pins.platforms)) {
    throw new Error(`release builds run on one of ${Object.keys(inputs.pins.platforms).join(", ")}; this is ${host}`);
  }
  return nodeBinary(inputs.pins, host as ReleasePlatform, inputs.nodeCache);
}

function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(" ")} failed: ${e.message}\n${e.stdout ?? ""}${e.stderr ?? ""}`);
  }
}

function readRecord(file: string): BuildRecord | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as BuildRecord;
  } catch {
    return undefined;
  }
}
