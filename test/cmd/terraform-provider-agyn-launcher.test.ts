// bin/terraform-provider-agyn, the POSIX sh launcher Terraform executes: it finds the package through symlinks
// and node on PATH (or AGYN_NODE), and it starts node without running any other program first, since
// Terraform launches a provider several times per command and every fork and exec adds to each start.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const launcher = join(__dirname, "../../bin/terraform-provider-agyn");
let dir: string;
/** A directory holding nothing but a `node` (a symlink to this node): a PATH with no other program on it. */
let nodeOnly: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "agyn-launcher-"));
  nodeOnly = join(dir, "node-only");
  mkdirSync(nodeOnly);
  symlinkSync(process.execPath, join(nodeOnly, "node"));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(command: string, env: NodeJS.ProcessEnv, cwd = dir) {
  const result = spawnSync(command, ["--version"], { cwd, env, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, error: result.error };
}

test("starts node with PATH holding nothing but node: no dirname, pwd or other program runs first", () => {
  const result = run(launcher, { PATH: nodeOnly });
  expect(result.stderr).toBe("");
  expect(result.stdout).toMatch(/^terraform-provider-agyn \d+\.\d+\.\d+/);
  expect(result.status).toBe(0);
});

test("finds the package through a chain of absolute and relative symlinks", () => {
  const links = join(dir, "links");
  mkdirSync(links);
  symlinkSync(launcher, join(links, "absolute"));
  symlinkSync("absolute", join(links, "relative"));
  symlinkSync(relative(links, launcher), join(links, "relative-to-package"));
  for (const name of ["absolute", "relative", "relative-to-package"]) {
    const result = run(join(links, name), { PATH: `/usr/bin:/bin:${nodeOnly}` });
    expect({ name, status: result.status, stderr: result.stderr }).toEqual({ name, status: 0, stderr: "" });
  }
});

test("takes the first executable node on PATH, skipping a directory or a plain file named node", () => {
  const notNode = join(dir, "not-node");
  mkdirSync(join(notNode, "node"), { recursive: true }); // a directory called node
  const plainFile = join(dir, "plain-file");
  mkdirSync(plainFile);
  writeFileSync(join(plainFile, "node"), "not executable");
  chmodSync(join(plainFile, "node"), 0o644);
  const result = run(launcher, { PATH: `${notNode}:${plainFile}:${nodeOnly}` });
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
});

test("AGYN_NODE wins over PATH, and a missing node is reported clearly", () => {
  expect(run(launcher, { PATH: "/nonexistent", AGYN_NODE: process.execPath }).status).toBe(0);
  const missing = run(launcher, { PATH: join(dir, "empty") });
  expect(missing.status).toBe(1);
  expect(missing.stdout).toBe("");
  expect(missing.stderr).toMatch(/node \(Node\.js >= 20\) not found; put it on PATH or set AGYN_NODE/);
  const wrong = run(launcher, { PATH: nodeOnly, AGYN_NODE: join(dir, "no-such-node") });
  expect(wrong.status).toBe(1);
  expect(wrong.stderr).toMatch(/not found; put it on PATH or set AGYN_NODE/);
});

describe("a launch that cannot start says why where Terraform shows it", () => {
  // Terraform quotes a non-handshake line from stdout in its error ("Unrecognized remote plugin message: …");
  // stderr reaches only TF_LOG. A person running the launcher by hand gets the reason once, on stderr.
  const cookie = { TF_PLUGIN_MAGIC_COOKIE: "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2" };

  test("no node: the reason on stdout too when Terraform launched it", () => {
    const byTerraform = run(launcher, { PATH: join(dir, "empty"), ...cookie });
    expect(byTerraform.status).toBe(1);
    expect(byTerraform.stdout).toBe("terraform-provider-agyn: node (Node.js >= 20) not found; put it on PATH or set AGYN_NODE\n");
    expect(byTerraform.stderr).toBe(byTerraform.stdout);
  });

  test("a checkout that was never built: the reason names the package directory as an absolute path", () => {
    const unbuilt = join(dir, "unbuilt");
    mkdirSync(join(unbuilt, "bin"), { recursive: true });
    writeFileSync(join(unbuilt, "bin", "terraform-provider-agyn"), readFileSync(launcher));
    chmodSync(join(unbuilt, "bin", "terraform-provider-agyn"), 0o755);
    const reason = `terraform-provider-agyn: ${realpathSync(unbuilt)}/dist/ lacks the bundle (provider.js, launch-provider.js); run \`npm run build\` in ${realpathSync(unbuilt)}\n`;
    const byHand = run("bin/terraform-provider-agyn", { PATH: nodeOnly }, unbuilt);
    expect({ status: byHand.status, stdout: byHand.stdout, stderr: byHand.stderr }).toEqual({ status: 1, stdout: "", stderr: reason });
    const byTerraform = run("bin/terraform-provider-agyn", { PATH: nodeOnly, ...cookie }, unbuilt);
    expect({ status: byTerraform.status, stdout: byTerraform.stdout, stderr: byTerraform.stderr }).toEqual({ status: 1, stdout: reason, stderr: reason });
  });
});

describe("node's default certificate store", () => {
  /** A stand-in for node that prints what it was started with: its arguments and the CA variables. */
  let reporter: string;
  beforeAll(() => {
    reporter = join(dir, "report-node");
    writeFileSync(
      reporter,
      [
        "#!/bin/sh",
        'printf "args=%s\\n" "$*"',
        'printf "NODE_EXTRA_CA_CERTS=%s\\n" "${NODE_EXTRA_CA_CERTS-(unset)}"',
        'printf "AGYN_PROVIDER_EXTRA_CA_CERTS=%s\\n" "${AGYN_PROVIDER_EXTRA_CA_CERTS-(unset)}"',
        'printf "AGYN_PROVIDER_CA_STORE=%s\\n" "${AGYN_PROVIDER_CA_STORE-(unset)}"',
        'printf "SSL_CERT_FILE=%s\\n" "${SSL_CERT_FILE-(unset)}"',
        "",
      ].join("\n"),
    );
    chmodSync(reporter, 0o755);
  });

  function started(env: NodeJS.ProcessEnv): Record<string, string> {
    const result = run(launcher, { PATH: "/nonexistent", AGYN_NODE: reporter, ...env });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
    return Object.fromEntries(result.stdout.trim().split("\n").map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
  }

  test("is left empty, and NODE_EXTRA_CA_CERTS set aside for the Gateway client, so node parses no certificate at start", () => {
    expect(started({ NODE_EXTRA_CA_CERTS: "/etc/corp/ca.pem", SSL_CERT_FILE: "/etc/ssl/cert.pem" })).toEqual({
      args: expect.stringMatching(/^--use-openssl-ca .*\/dist\/launch-provider\.js --version$/),
      NODE_EXTRA_CA_CERTS: "(unset)",
      AGYN_PROVIDER_EXTRA_CA_CERTS: "/etc/corp/ca.pem",
      AGYN_PROVIDER_CA_STORE: "deferred",
      SSL_CERT_FILE: "/dev/null",
    });
  });

  test("without NODE_EXTRA_CA_CERTS there is nothing to set aside, and a stale value from the environment is dropped", () => {
    expect(started({ AGYN_PROVIDER_EXTRA_CA_CERTS: "/stale.pem" })).toMatchObject({
      AGYN_PROVIDER_EXTRA_CA_CERTS: "(unset)",
      AGYN_PROVIDER_CA_STORE: "deferred",
    });
    expect(started({ NODE_EXTRA_CA_CERTS: "" })).toMatchObject({ NODE_EXTRA_CA_CERTS: "(unset)", AGYN_PROVIDER_EXTRA_CA_CERTS: "(unset)" });
  });

  test.each(["--use-openssl-ca", "--max-old-space-size=512 --use-bundled-ca", "--use-system-ca"])(
    "is node's own when NODE_OPTIONS chooses a store (%s)",
    (nodeOptions) => {
      expect(started({ NODE_OPTIONS: nodeOptions, NODE_EXTRA_CA_CERTS: "/etc/corp/ca.pem", AGYN_PROVIDER_CA_STORE: "deferred" })).toEqual({
        args: expect.stringMatching(/^\S*\/dist\/launch-provider\.js --version$/),
        NODE_EXTRA_CA_CERTS: "/etc/corp/ca.pem",
        AGYN_PROVIDER_EXTRA_CA_CERTS: "(unset)",
        AGYN_PROVIDER_CA_STORE: "(unset)",
        SSL_CERT_FILE: "(unset)",
      });
    },
  );
});
