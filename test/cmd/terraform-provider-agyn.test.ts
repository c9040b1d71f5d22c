// The terraform-provider-agyn command line for a person (Terraform only ever starts it without arguments):
// --help prints usage on stdout and exits 0; an unknown command is a usage error on stderr.
import { killAllProviders, runProviderToExit } from "../support/plugin-process";

afterAll(killAllProviders);

describe("terraform-provider-agyn", () => {
  it.each(["--help", "-h", "help"])("%s prints usage on stdout and exits 0", async (flag) => {
    const r = await runProviderToExit([flag], { TF_PLUGIN_MAGIC_COOKIE: undefined });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(r.stdout).toMatch(/^Usage: terraform-provider-agyn/);
    for (const command of ["schema", "--debug", "--version", "--help"]) expect(r.stdout).toContain(command);
  });

  it("refuses an unknown command with exit 2, usage on stderr", async () => {
    const r = await runProviderToExit(["--frobnicate"], { TF_PLUGIN_MAGIC_COOKIE: undefined });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain('unknown command "--frobnicate"');
    expect(r.stderr).toContain("Usage: terraform-provider-agyn");
  });
});
