// `terraform-provider-agyn --debug`: started by a person (no magic cookie, no AutoMTLS), it prints the
// TF_REATTACH_PROVIDERS value Terraform reads, serves plaintext on that socket, and stops on Ctrl-C.
import { existsSync, statSync } from "node:fs";
import { killAllProviders, launchDebugProvider, withTimeout, type DebugProvider } from "../support/plugin-process";

afterAll(killAllProviders);

describe("--debug", () => {
  let d: DebugProvider;
  beforeAll(async () => {
    d = await launchDebugProvider();
  });
  afterAll(() => d?.kill());

  it("prints TF_REATTACH_PROVIDERS for registry.terraform.io/agynio/agyn in the shape Terraform reads", () => {
    expect(d.reattachLine).toMatch(/TF_REATTACH_PROVIDERS='\{.*\}'/);
    expect(Object.keys(d.reattach)).toEqual(["registry.terraform.io/agynio/agyn"]);
    const entry = d.reattach["registry.terraform.io/agynio/agyn"];
    expect(entry).toEqual({
      Protocol: "grpc",
      ProtocolVersion: 6,
      Pid: d.spawned.child.pid, // go-plugin watches this pid: it must be node itself (the launcher execs it)
      Test: true, // ProtocolVersion is honoured only with Test, and Terraform then never kills the process
      Addr: { Network: "unix", String: expect.any(String) },
    });
    expect(statSync(entry.Addr.String).isSocket()).toBe(true);
  });

  it("serves GetProviderSchema to a plaintext client on that socket", async () => {
    const r = await d.client.call("GetProviderSchema");
    expect(r.diagnostics).toEqual([]);
    expect(Object.keys(r.dataSourceSchemas)).toContain("agyn_user");
    expect(r.provider.block.attributes.map((a: { name: string }) => a.name)).toContain("gateway");
  });

  it("stops on SIGINT (Ctrl-C in its terminal) and removes its socket", async () => {
    const socket = d.reattach["registry.terraform.io/agynio/agyn"].Addr.String;
    d.spawned.child.kill("SIGINT");
    const exited = await withTimeout(d.spawned.closed, 5_000, () => "--debug provider did not stop on SIGINT");
    expect(exited.signal).toBeNull();
    expect(exited.code).toBe(0);
    expect(existsSync(socket)).toBe(false);
  });
});
