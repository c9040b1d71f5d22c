// The release as users get it: `npm run release` output (signed with a throwaway key made here), the single
// executables per platform, and Terraform installing the provider from it with NO node on PATH — from a
// network mirror over HTTPS, from the packed archive in a filesystem mirror, and through `install` — with one
// lock file, made once for all five platforms, valid for every one of those installs.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { MAGIC_COOKIE_VALUE as MAGIC_COOKIE } from "../../provider/server/handshake";
import {
  RELEASE_PLATFORMS, archiveName, checksumsName, executableName, manifestName, signatureName, terraformPlatform, type ReleasePlatform,
} from "../../release/platforms";
import { readZip, type ZipEntry } from "../../release/zip-archive";
import { checkAdHocSignature, readMachOLayout } from "../../scripts/release/macho-ad-hoc-signature";
import { authenticodeSignature, peChecksum, storedPeChecksum } from "../../scripts/release/pe-authenticode";
import { SEA_FUSE, runnerFor } from "../../scripts/release/single-executable";
import { useTestGateway } from "../support/local-gateway";
import { generateClientCertificate } from "../support/plugin-process";
import {
  buildTestRelease, h1Hash, pathWithoutNode, readChecksums, releaseVersion, sha256File, startNetworkMirror, testCertificateAuthority,
  throwawayGpgKey, type NetworkMirror, type ThrowawayGpgKey,
} from "../support/release";
import { TokenWorkdir } from "./api-token-support";
import { describeWithTerraform, expectSuccess, providerConfiguration, repoRoot, type RunResult } from "../support/terraform";

const host = terraformPlatform() as ReleasePlatform;

let key: ThrowawayGpgKey;
let releaseDir: string;
let scratch: string;
/** The host's executable, taken out of its release zip. */
let hostExecutable: string;

beforeAll(() => {
  key = throwawayGpgKey();
  releaseDir = buildTestRelease(key).dir;
  scratch = mkdtempSync(join(tmpdir(), "agyn-release-test-"));
  hostExecutable = extract(host, join(scratch, "unzipped", host));
}, 20 * 60_000);

afterAll(() => {
  key?.dispose();
  for (const dir of [releaseDir, scratch]) if (dir) rmSync(dir, { recursive: true, force: true });
});

const unzipped = new Map<ReleasePlatform, ZipEntry[]>();

/** The files in a platform's release zip (read once: they are ~120 MB each). */
function zipEntries(platform: ReleasePlatform): ZipEntry[] {
  let entries = unzipped.get(platform);
  if (!entries) {
    entries = readZip(readFileSync(join(releaseDir, archiveName(releaseVersion, platform))));
    unzipped.set(platform, entries);
  }
  return entries;
}

/** The executable of a platform's zip, written to dir (mode from the zip). */
function extract(platform: ReleasePlatform, dir: string): string {
  const entries = zipEntries(platform);
  expect(entries.map((e) => e.name)).toEqual([executableName(releaseVersion, platform)]);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, entries[0].name);
  writeFileSync(file, entries[0].data, { mode: entries[0].mode });
  return file;
}

/**
 * Launches an executable as Terraform would (magic cookie, protocols offered, AutoMTLS client certificate)
 * and returns its handshake line.
 */
function handshakeLine(command: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), {
      env: {
        ...env,
        TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE,
        PLUGIN_PROTOCOL_VERSIONS: "5,6",
        PLUGIN_CLIENT_CERT: generateClientCertificate().certPem,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no handshake within 60 s; stderr:\n${stderr}`));
    }, 60_000);
    createInterface({ input: child.stdout }).once("line", (line) => {
      clearTimeout(timer);
      child.kill("SIGTERM"); // the provider shuts down and removes its socket
      resolve(line);
    });
    child.once("error", reject);
  });
}

describe("the release directory", () => {
  it("holds what a registry ingests: a zip per platform, the manifest, SHA256SUMS over them and its GPG signature", () => {
    const names = [
      ...RELEASE_PLATFORMS.map((p) => archiveName(releaseVersion, p)),
      checksumsName(releaseVersion),
      signatureName(releaseVersion),
      manifestName(releaseVersion),
    ].sort();
    expect(readdirSync(releaseDir).sort()).toEqual(names);

    const sums = readChecksums(releaseDir);
    expect([...sums.keys()].sort()).toEqual([...RELEASE_PLATFORMS.map((p) => archiveName(releaseVersion, p)), manifestName(releaseVersion)].sort());
    for (const [name, digest] of sums) expect(`${name} ${sha256File(join(releaseDir, name))}`).toBe(`${name} ${digest}`);

    expect(JSON.parse(readFileSync(join(releaseDir, manifestName(releaseVersion)), "utf8"))).toEqual({
      version: 1,
      metadata: { protocol_versions: ["5.0", "6.0"] },
    });

    const verify = spawnSync("gpg", ["--batch", "--status-fd", "1", "--verify", signatureName(releaseVersion), checksumsName(releaseVersion)], {
      cwd: releaseDir,
      env: { ...process.env, GNUPGHOME: key.home },
      encoding: "utf8",
    });
    expect(verify.status).toBe(0);
    expect(verify.stdout).toContain(`[GNUPG:] VALIDSIG ${key.fingerprint}`);
    // Detached and binary (not ASCII-armoured), as the Registry wants it.
    expect(readFileSync(join(releaseDir, signatureName(releaseVersion))).subarray(0, 5).toString()).not.toBe("-----");

    // A changed SHA256SUMS no longer verifies: the signature covers the checksums.
    const tampered = join(scratch, "tampered");
    mkdirSync(tampered, { recursive: true });
    copyFileSync(join(releaseDir, signatureName(releaseVersion)), join(tampered, "sig"));
    // The first hex digit changed to another one (always "0" left the file as it was whenever a checksum began with 0).
    const sumsText = readFileSync(join(releaseDir, checksumsName(releaseVersion)), "utf8");
    const changed = sumsText.replace(/^./, (digit) => (digit === "0" ? "1" : "0"));
    expect(changed).not.toBe(sumsText);
    writeFileSync(join(tampered, "sums"), changed);
    const bad = spawnSync("gpg", ["--batch", "--verify", "sig", "sums"], { cwd: tampered, env: { ...process.env, GNUPGHOME: key.home } });
    expect(bad.status).not.toBe(0);
  });

  it("zips one executable per platform, named as Terraform expects, executable, with the version from package.json", () => {
    for (const platform of RELEASE_PLATFORMS) {
      const [entry] = zipEntries(platform);
      expect(entry.name).toBe(`terraform-provider-agyn_v${releaseVersion}${platform === "windows_amd64" ? ".exe" : ""}`);
      expect(entry.mode).toBe(0o755);
      // A Node single executable with the bundle injected (postject flips the fuse) ...
      expect(entry.data.includes(`${SEA_FUSE}:1`)).toBe(true);
      // ... and without the local Gateway's native SQLite addon, which the plugin never needs.
      expect(entry.data.includes("better_sqlite3")).toBe(false);
      expect(entry.data.includes("better-sqlite3")).toBe(false);
    }
    const r = spawnSync(hostExecutable, ["--version"], { env: { PATH: "/nonexistent" }, encoding: "utf8" });
    expect(r.stdout).toBe(`terraform-provider-agyn ${releaseVersion}\n`);
  });

  it("is reproducible: a second build of this machine's executable, code cache included, is the same zip", () => {
    const again = mkdtempSync(join(scratch, "sea-again-"));
    const r = spawnSync(
      process.execPath,
      [join(repoRoot, "scripts/release.mjs"), "--skip-build", "--executables-only", "--platform", host, "--sea-dir", again],
      { cwd: repoRoot, encoding: "utf8", timeout: 10 * 60_000 },
    );
    if (r.status !== 0) throw new Error(`second build failed:\n${r.stdout}\n${r.stderr}`);
    expect(r.stdout).toContain("code cache: yes");
    expect(sha256File(join(again, host, archiveName(releaseVersion, host)))).toBe(readChecksums(releaseDir).get(archiveName(releaseVersion, host)));
    // Nor does any executable carry a path of the machine that built it.
    for (const platform of RELEASE_PLATFORMS) expect(zipEntries(platform)[0].data.includes(repoRoot)).toBe(false);
  });

  it(`${host}: runs with no node and no checkout, and answers Terraform's launch with a handshake`, async () => {
    const line = await handshakeLine([hostExecutable], { PATH: "/nonexistent" });
    expect(line).toMatch(/^1\|6\|unix\|\/[^|]+\|grpc\|[A-Za-z0-9+/]+$/);
  });

  it("linux_arm64: runs under qemu-user and answers --version and the handshake", async () => {
    const runner = runnerFor("linux_arm64");
    if (runner === undefined) {
      throw new Error("qemu-user with the arm64 C library is needed (apt-get install qemu-user libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross)");
    }
    const arm64 = extract("linux_arm64", join(scratch, "unzipped", "linux_arm64"));
    const [command, ...args] = [...runner, arm64, "--version"];
    const version = spawnSync(command, args, { encoding: "utf8" });
    expect(version.stdout).toBe(`terraform-provider-agyn ${releaseVersion}\n`);
    const line = await handshakeLine([...runner, arm64], { PATH: "/nonexistent" });
    expect(line).toMatch(/^1\|6\|unix\|\/[^|]+\|grpc\|[A-Za-z0-9+/]+$/);
  });

  it.each(["darwin_amd64", "darwin_arm64"] as const)("%s: an ad-hoc signature that covers every page of the injected executable", (platform) => {
    const [entry] = zipEntries(platform);
    const layout = readMachOLayout(entry.data);
    expect(layout.segments.map((s) => s.name)).toContain("NODE_SEA");
    const check = checkAdHocSignature(entry.data);
    expect(check).toMatchObject({ identifier: "terraform-provider-agyn", flags: 0x2, badPages: [], requirementsHashMatches: true, coversFileEnd: true });
    expect(check.pages).toBe(Math.ceil(check.codeLimit / 4096));
  });

  it("the signature reader accepts Apple's own signature of the pinned node, and the checksum matches node.exe's", () => {
    // Cross-checks of our Mach-O and PE code against files Apple's and Microsoft's tools wrote.
    const pins = JSON.parse(readFileSync(join(repoRoot, "scripts/release/node-binaries.json"), "utf8")) as { version: string };
    const cache = join(repoRoot, "dist/cache", `node-v${pins.version}`);
    for (const platform of ["darwin_amd64", "darwin_arm64"]) {
      const check = checkAdHocSignature(readFileSync(join(cache, platform, "node")));
      expect(check).toMatchObject({ identifier: "node", badPages: [], requirementsHashMatches: true, coversFileEnd: true });
    }
    const nodeExe = readFileSync(join(cache, "windows_amd64", "node.exe"));
    expect(authenticodeSignature(nodeExe)).toBeDefined();
    expect(peChecksum(nodeExe)).toBe(storedPeChecksum(nodeExe));
  });

  it("windows_amd64: Node's voided Authenticode signature removed and the PE checksum correct", () => {
    const [entry] = zipEntries("windows_amd64");
    expect(entry.data.subarray(0, 2).toString()).toBe("MZ");
    expect(authenticodeSignature(entry.data)).toBeUndefined();
    expect(storedPeChecksum(entry.data)).toBe(peChecksum(entry.data));
  });
});

describeWithTerraform("installing the release (no node on PATH)", (tf) => {
  const gateway = useTestGateway();
  let path: string;
  let mirror: NetworkMirror;
  let caFile: string;
  /** The lock file `terraform providers lock` made through the network mirror; later installs must satisfy it. */
  let lockFile: string | undefined;

  beforeAll(async () => {
    path = pathWithoutNode(tf.path);
    const ca = testCertificateAuthority(join(scratch, "ca"));
    caFile = ca.caFile;
    mirror = await startNetworkMirror(releaseDir, ca);
  });
  afterAll(async () => {
    await mirror?.close();
    if (path) rmSync(path, { recursive: true, force: true });
  });

  const configuration = (gatewayUrl: string) =>
    providerConfiguration(
      gatewayUrl,
      `
data "agyn_user" "me" {}
resource "agyn_api_token" "ci" {
  description = "release test"
  expires_in  = "1h"
}
output "who" {
  value = data.agyn_user.me.oidc_subject
}
`,
    );

  /** A work directory whose terraform sees only `path` and the given CLI configuration (and HOME). */
  function workdir(cliConfig: string, home?: string): TokenWorkdir {
    const config = join(mkdtempSync(join(scratch, "cli-")), "cli.tfrc");
    writeFileSync(config, cliConfig);
    const wd = new TokenWorkdir(tf, { PATH: path, TF_CLI_CONFIG_FILE: config, SSL_CERT_FILE: caFile, ...(home ? { HOME: home } : {}) });
    wd.write({ "main.tf": configuration(gateway.url) });
    return wd;
  }

  async function applyAndDestroy(wd: TokenWorkdir, env: Record<string, string> = {}): Promise<void> {
    const subject = `release-${Math.random().toString(36).slice(2, 8)}`;
    const token = wd.secret(gateway.mintToken({ subject }));
    const vars = { TF_VAR_agyn_api_token: token, ...env };
    expectSuccess(await wd.apply(vars), "terraform apply");
    expect(await wd.output("who", vars)).toBe(subject);
    expectSuccess(await wd.plan(vars), "terraform plan after apply (no changes)");
    expectSuccess(await wd.destroy(vars), "terraform destroy");
    wd.expectNoSecretLeaks();
  }

  function useLock(wd: TokenWorkdir): string {
    if (!lockFile) throw new Error("needs the lock file from the network mirror test");
    writeFileSync(join(wd.dir, ".terraform.lock.hcl"), lockFile);
    return lockFile;
  }

  function expectInitKeptLock(wd: TokenWorkdir, init: RunResult, lock: string): void {
    expectSuccess(init, "terraform init with the lock file made elsewhere");
    expect(readFileSync(join(wd.dir, ".terraform.lock.hcl"), "utf8")).toBe(lock);
  }

  it("network mirror over HTTPS: init, providers lock for all five platforms, apply a token, destroy", async () => {
    const wd = workdir(`provider_installation {\n  network_mirror {\n    url = "${mirror.url}"\n  }\n}\n`);
    try {
      expectSuccess(await wd.run(["init", "-input=false", "-no-color"]), "terraform init from the network mirror");
      const platforms = RELEASE_PLATFORMS.map((p) => `-platform=${p}`);
      expectSuccess(await wd.run(["providers", "lock", `-net-mirror=${mirror.url}`, ...platforms, "-no-color"]), "terraform providers lock");
      const lock = readFileSync(join(wd.dir, ".terraform.lock.hcl"), "utf8");
      // Exactly the h1: hash of each platform's archive contents (Terraform downloaded and unpacked every one).
      const expected = RELEASE_PLATFORMS.map((p) => h1Hash(zipEntries(p)));
      expect(new Set(expected).size).toBe(RELEASE_PLATFORMS.length);
      expect([...lock.matchAll(/"(h1:[^"]+)"/g)].map((m) => m[1]).sort()).toEqual([...expected].sort());
      for (const platform of RELEASE_PLATFORMS) {
        expect(mirror.requests).toContain(`/registry.terraform.io/agynio/agyn/${archiveName(releaseVersion, platform)}`);
      }
      lockFile = lock;

      await applyAndDestroy(wd);
      // The version Terraform installed is the one the provider reports to the Gateway.
      expect(gateway.requestLog().some((l) => l.includes(`terraform-provider-agyn/${releaseVersion} `))).toBe(true);
    } finally {
      wd.cleanup();
    }
  });

  it("packed archive in a filesystem mirror elsewhere: the same lock file holds; apply over protocol 5", async () => {
    const mirrorDir = join(scratch, "packed-mirror");
    const providerDir = join(mirrorDir, "registry.terraform.io/agynio/agyn");
    mkdirSync(providerDir, { recursive: true });
    copyFileSync(join(releaseDir, archiveName(releaseVersion, host)), join(providerDir, archiveName(releaseVersion, host)));
    const wd = workdir(
      `provider_installation {\n  filesystem_mirror {\n    path    = "${mirrorDir}"\n    include = ["registry.terraform.io/agynio/agyn"]\n  }\n` +
        `  direct {\n    exclude = ["registry.terraform.io/agynio/agyn"]\n  }\n}\n`,
    );
    try {
      const lock = useLock(wd);
      expectInitKeptLock(wd, await wd.run(["init", "-input=false", "-no-color"]), lock);
      await applyAndDestroy(wd, { AGYN_PROVIDER_PROTOCOL: "5" });
    } finally {
      wd.cleanup();
    }
  });

  it("install: into the implied local mirror, then init, plan and apply with the same lock file", async () => {
    const home = join(scratch, "home");
    mkdirSync(home, { recursive: true });
    const r = spawnSync(hostExecutable, ["install"], { env: { PATH: path, HOME: home }, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const installed = join(home, ".terraform.d/plugins/registry.terraform.io/agynio/agyn", releaseVersion, host, executableName(releaseVersion, host));
    expect(r.stdout).toContain(installed);
    expect(readdirSync(join(installed, ".."))).toEqual([executableName(releaseVersion, host)]);
    expect(sha256File(installed)).toBe(sha256File(hostExecutable));
    expect(statSync(installed).mode & 0o111).toBe(0o111);

    // No provider_installation block: Terraform's implied local mirror (~/.terraform.d/plugins) is used.
    const wd = workdir("", home);
    try {
      const lock = useLock(wd);
      expectInitKeptLock(wd, await wd.run(["init", "-input=false", "-no-color"]), lock);
      await applyAndDestroy(wd);
    } finally {
      wd.cleanup();
    }
  });

  it("install --dir prints a provider_installation block that works as the CLI configuration", async () => {
    const dir = join(scratch, "plugins ${dir}"); // a space (as in many home directories) and what looks like a template
    const r = spawnSync(hostExecutable, ["install", "--dir", dir], { env: { PATH: path, HOME: join(scratch, "other-home") }, encoding: "utf8" });
    expect(r.status).toBe(0);
    const block = /^provider_installation \{\n[\s\S]*?\n\}\n/m.exec(r.stdout)?.[0];
    expect(block).toContain(`path    = "${dir}"`);
    const wd = workdir(block!);
    try {
      const lock = useLock(wd);
      expectInitKeptLock(wd, await wd.run(["init", "-input=false", "-no-color"]), lock);
      const token = wd.secret(gateway.mintToken({ subject: "release-dir" }));
      const plan = await wd.plan({ TF_VAR_agyn_api_token: token });
      expect(plan.code).toBe(2); // changes: the token would be created
      expect(plan.stdout).toContain("agyn_api_token.ci will be created");
      wd.expectNoSecretLeaks();
    } finally {
      wd.cleanup();
    }
    // Running it again changes nothing and says so.
    const again = spawnSync(hostExecutable, ["install", "--dir", dir], { env: { PATH: path }, encoding: "utf8" });
    expect(again.stdout).toMatch(/^Already installed/);
    expect(existsSync(join(dir, "registry.terraform.io/agynio/agyn", releaseVersion, host))).toBe(true);
  });
});
