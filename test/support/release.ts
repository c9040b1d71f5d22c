// What the release tests need around a built release: the release itself (built once per test run — `npm test`
// builds the executables before jest, so here only the zips are placed and signed), a throwaway GPG key, a PATH
// with terraform and no node, and a provider network mirror over HTTPS with a CA made at test time.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { archiveName, checksumsName, RELEASE_PLATFORMS, type ReleasePlatform } from "../../release/platforms";
import { repoRoot } from "./terraform";

export const releaseVersion: string = (JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string }).version;

export interface ThrowawayGpgKey {
  readonly home: string;
  readonly fingerprint: string;
  dispose(): void;
}

/** A fresh keyring with one RSA signing key (the Registry takes RSA and DSA keys), valid for a day. */
export function throwawayGpgKey(): ThrowawayGpgKey {
  const home = mkdtempSync(join(tmpdir(), "agyn-gpg-"));
  const env = { ...process.env, GNUPGHOME: home };
  execFileSync("gpg", ["--batch", "--passphrase", "", "--quick-gen-key", "agyn release test <release-test@example.invalid>", "rsa2048", "sign", "1d"], {
    env,
    stdio: "ignore",
  });
  const colons = execFileSync("gpg", ["--batch", "--with-colons", "--list-secret-keys"], { env, encoding: "utf8" });
  const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(colons)?.[1];
  if (!fingerprint) throw new Error(`no fingerprint in gpg output:\n${colons}`);
  return {
    home,
    fingerprint,
    dispose() {
      spawnSync("gpgconf", ["--kill", "all"], { env, stdio: "ignore" });
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * `npm run release` into a temporary directory, signed with the given key. Reuses the executables in dist/sea/
 * (built by `npm test` before jest, or here on first use) as long as the bundle is unchanged.
 */
export function buildTestRelease(key: ThrowawayGpgKey): { dir: string; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "agyn-release-"));
  const r = spawnSync(process.execPath, [join(repoRoot, "scripts/release.mjs"), "--skip-build", "--out", dir, "--gpg-key", key.fingerprint], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, GNUPGHOME: key.home },
    timeout: 20 * 60_000,
  });
  if (r.status !== 0) throw new Error(`npm run release failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return { dir, output: r.stdout + r.stderr };
}

/** A directory holding only a link to terraform, to be the whole PATH: Node.js is then nowhere to be found. */
export function pathWithoutNode(terraformPath: string): string {
  const dir = mkdtempSync(join(tmpdir(), "agyn-nodeless-path-"));
  symlinkSync(terraformPath, join(dir, "terraform"));
  const probe = spawnSync("/bin/sh", ["-c", "command -v node || command -v nodejs"], { env: { PATH: dir } });
  if (probe.status === 0) throw new Error(`node is reachable through ${dir}`);
  return dir;
}

export function sha256File(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/**
 * Terraform's "h1:" package hash (Go's dirhash Hash1) of an archive's files: SHA-256 over the sorted lines
 * "<sha256 hex>  <name>\n", base64. It names the unpacked contents, so it is the same wherever they sit.
 */
export function h1Hash(files: readonly { name: string; data: Buffer }[]): string {
  const summary = [...files]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((f) => `${createHash("sha256").update(f.data).digest("hex")}  ${f.name}\n`)
    .join("");
  return `h1:${createHash("sha256").update(summary).digest("base64")}`;
}

/** The lines of a SHA256SUMS file as file name → hex digest. */
export function readChecksums(releaseDir: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of readFileSync(join(releaseDir, checksumsName(releaseVersion)), "utf8").split("\n")) {
    const m = /^([0-9a-f]{64}) {2}(\S+)$/.exec(line);
    if (m) sums.set(m[2], m[1]);
  }
  return sums;
}

export interface TestCertificateAuthority {
  /** PEM of the CA, for SSL_CERT_FILE. */
  readonly caFile: string;
  readonly serverKey: Buffer;
  readonly serverCert: Buffer;
}

/** A CA and a server certificate for 127.0.0.1 it signed, made with Debian's openssl. */
export function testCertificateAuthority(dir: string): TestCertificateAuthority {
  mkdirSync(dir, { recursive: true });
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", at("ca.key"), "-out", at("ca.pem"),
    "-days", "1", "-subj", "/CN=agyn release test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
  openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", at("server.key"), "-out", at("server.csr"), "-subj", "/CN=127.0.0.1");
  writeFileSync(at("server.ext"), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n");
  openssl("x509", "-req", "-in", at("server.csr"), "-CA", at("ca.pem"), "-CAkey", at("ca.key"), "-CAcreateserial", "-out", at("server.pem"),
    "-days", "1", "-extfile", at("server.ext"));
  return { caFile: at("ca.pem"), serverKey: readFileSync(at("server.key")), serverCert: readFileSync(at("server.pem")) };
}

export interface NetworkMirror {
  /** The mirror's base URL, as provider_installation { network_mirror { url = … } } and -net-mirror take it. */
  readonly url: string;
  /** Request paths served, oldest first. */
  readonly requests: string[];
  close(): Promise<void>;
}

/**
 * Terraform's provider network mirror protocol over a release directory: index.json lists the version,
 * <version>.json each platform's archive (URL relative to it) with its zh: hash from SHA256SUMS.
 */
export async function startNetworkMirror(releaseDir: string, tls: TestCertificateAuthority): Promise<NetworkMirror> {
  const base = "/registry.terraform.io/agynio/agyn/";
  const sums = readChecksums(releaseDir);
  const archives: Record<string, { url: string; hashes: string[] }> = {};
  for (const platform of RELEASE_PLATFORMS) {
    const name = archiveName(releaseVersion, platform as ReleasePlatform);
    const digest = sums.get(name);
    if (digest) archives[platform] = { url: name, hashes: [`zh:${digest}`] };
  }
  const requests: string[] = [];
  const server: Server = createServer({ key: tls.serverKey, cert: tls.serverCert }, (req, res) => {
    const path = new URL(req.url ?? "/", "https://127.0.0.1").pathname;
    requests.push(path);
    const json = (body: unknown) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (path === `${base}index.json`) return json({ versions: { [releaseVersion]: {} } });
    if (path === `${base}${releaseVersion}.json`) return json({ archives });
    const file = path.startsWith(base) ? path.slice(base.length) : "";
    if (Object.values(archives).some((a) => a.url === file) && existsSync(join(releaseDir, file))) {
      res.writeHead(200, { "content-type": "application/zip" });
      createReadStream(join(releaseDir, file)).pipe(res);
      return;
    }
    res.writeHead(404).end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
