// `npm pack` gives a package whose bin entries run the provider and the local Gateway from node_modules, as a
// project that installs it would run them (node_modules/.bin links, dependencies resolved by npm).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { testGatewayClient } from "../support/gateway-client";
import { MAGIC_COOKIE_VALUE } from "../../provider/server/handshake";
import { releaseVersion } from "../support/release";
import { repoRoot } from "../support/terraform";

let project: string;
let packedFiles: string[];
const bin = (name: string) => join(project, "node_modules/.bin", name);

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "agyn-npm-package-"));
  // --ignore-scripts: the suite has built dist/ already, and prepack's rebuild would rewrite the bundle
  // under the other tests' feet.
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", project], { cwd: repoRoot, encoding: "utf8" }),
  ) as { filename: string; files: { path: string }[] }[];
  packedFiles = packed[0].files.map((f) => f.path).sort();
  // The same better-sqlite3 as this checkout's, whose compiled addon is reused below.
  const sqlite = JSON.parse(readFileSync(require.resolve("better-sqlite3/package.json", { paths: [repoRoot] }), "utf8")) as { version: string };
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "user-project", private: true, overrides: { "better-sqlite3": sqlite.version } }));
  execFileSync("npm", ["install", "--prefer-offline", "--ignore-scripts", "--no-audit", "--no-fund", `./${packed[0].filename}`], {
    cwd: project,
    stdio: "ignore",
  });
  // better-sqlite3's install script compiles its addon (minutes); reuse the one `npm ci` compiled for this checkout.
  const addon = join(dirname(require.resolve("better-sqlite3/package.json", { paths: [repoRoot] })), "build/Release/better_sqlite3.node");
  const target = join(project, "node_modules/better-sqlite3/build/Release");
  mkdirSync(target, { recursive: true });
  copyFileSync(addon, join(target, "better_sqlite3.node"));
}, 5 * 60_000);

afterAll(() => rmSync(project, { recursive: true, force: true }));

describe("the npm package", () => {
  it("holds the launchers, the two bundles, the code-cache launcher and the documents, nothing else (besides the cdktf/cdktn bindings)", () => {
    // The bindings' own contents are checked by test/cdktf/package.test.ts.
    expect(packedFiles.filter((f) => !f.startsWith("dist/bindings/"))).toEqual([
      "CHANGELOG.md",
      "LICENSE",
      "README.md",
      "bin/agyn-local-gateway",
      "bin/terraform-provider-agyn",
      "dist/launch-provider.js",
      "dist/local-gateway.js",
      "dist/provider.js",
      "package.json",
    ]);
  });

  it("bin terraform-provider-agyn runs the provider: version, schema, and Terraform's launch", async () => {
    expect(execFileSync(bin("terraform-provider-agyn"), ["--version"], { encoding: "utf8" })).toBe(`terraform-provider-agyn ${releaseVersion}\n`);
    const schema = JSON.parse(execFileSync(bin("terraform-provider-agyn"), ["schema"], { encoding: "utf8" }));
    expect(Object.keys(schema.provider_schemas["registry.terraform.io/agynio/agyn"].resource_schemas)).toContain("agyn_api_token");

    const child = spawn(bin("terraform-provider-agyn"), [], {
      env: { ...process.env, TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: "5" },
      stdio: ["ignore", "pipe", "ignore"],
    });
    try {
      const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once("line", resolve));
      expect(line).toMatch(/^1\|5\|unix\|/);
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("bin terraform-provider-agyn install explains that the package carries no single executable", () => {
    const r = spawnSync(bin("terraform-provider-agyn"), ["install", "--dir", join(project, "mirror")], { encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`terraform-provider-agyn_${releaseVersion}_`);
    expect(r.stderr).toContain("unzip it and run");
  });

  it("bin agyn-local-gateway mints a token and serves it (the native SQLite addon loads from node_modules)", async () => {
    const db = join(project, "gateway.db");
    const token = execFileSync(bin("agyn-local-gateway"), ["mint-token", "--db", db, "--subject", "npm-user"], { encoding: "utf8" }).trim();
    const server = spawn(bin("agyn-local-gateway"), ["serve", "--db", db, "--port", "0"], { stdio: ["ignore", "pipe", "ignore"] });
    try {
      const url = await new Promise<string>((resolve) => createInterface({ input: server.stdout }).once("line", resolve));
      const me = await testGatewayClient({ baseUrl: url, token }).getMe();
      expect(me.user?.oidcSubject).toBe("npm-user");
    } finally {
      server.kill("SIGTERM");
    }
  });
});
