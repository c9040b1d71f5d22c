// README command one, `npm run demo`: its main part (dist/demo.js, built by the test run) must keep working
// end to end and must never print a secret.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeWithTerraform, repoRoot } from "../support/terraform";

describeWithTerraform("npm run demo", (tf) => {
  it("mints a CI token with terraform apply, proves it, revokes it with destroy (even a slow destroy)", () => {
    // A destroy slower than the Gateway's 5 s keep-alive, as on a busy machine: the check after it must not
    // reuse a connection the Gateway closed meanwhile.
    const dir = mkdtempSync(join(tmpdir(), "agyn-demo-tf-"));
    const slowTerraform = join(dir, "terraform");
    writeFileSync(slowTerraform, `#!/bin/sh\nif [ "$1" = destroy ]; then sleep 6; fi\nexec "${tf.path}" "$@"\n`);
    chmodSync(slowTerraform, 0o755);
    const r = spawnSync(process.execPath, [join(repoRoot, "dist/demo.js")], {
      cwd: repoRoot,
      encoding: "utf8",
      env: { ...process.env, TERRAFORM: slowTerraform, HOME: process.env.HOME ?? "" },
      timeout: 120_000,
    });
    rmSync(dir, { recursive: true, force: true });
    const output = r.stdout + r.stderr;
    if (r.status !== 0) throw new Error(`demo failed (exit ${r.status}):\n${output}`);
    expect(output).toMatch(/GetMe with the CI token agyn_\w{3}… returns demo-engineer/);
    expect(output).toMatch(/ListAPITokens shows it: "ci pipeline \(terraform\)"/);
    expect(output).toContain("Destroy complete! Resources: 1 destroyed.");
    expect(output).toContain("the CI token is now rejected: GetMe failed (unauthenticated): invalid api token");
    expect(output).toContain("Demo complete");
    // Only 8-character prefixes of secrets may ever be shown.
    expect(output).not.toMatch(/agyn_[0-9A-Za-z]{9,}/);
    // Its output is a pipe here, not a terminal: no colour codes, neither its own nor terraform's.
    expect(output.includes("\x1b[")).toBe(false);
  });

  it("explains how to get Terraform when none is found, and exits non-zero", () => {
    const r = spawnSync(process.execPath, [join(repoRoot, "dist/demo.js")], {
      cwd: repoRoot,
      encoding: "utf8",
      env: { PATH: "/nonexistent", HOME: process.env.HOME ?? "" },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("needs Terraform");
    expect(r.stderr).toContain("TERRAFORM=/path/to/terraform");
  });
});
