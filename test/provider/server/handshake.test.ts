import {
  handshakeLine, launchedByTerraform, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, negotiateProtocol,
} from "../../../provider/server/handshake";

describe("negotiateProtocol", () => {
  it.each([
    ["5,6", 6],
    ["6,5", 6],
    [" 5 , 6 ", 6],
    ["5", 5],
    ["6", 6],
    ["4,5", 5],
    ["5,7", 5],
  ])("offered %p → protocol %d", (offered, version) => {
    expect(negotiateProtocol({ PLUGIN_PROTOCOL_VERSIONS: offered }, "agyn")).toEqual({ version });
  });

  it.each(["4", "7", "", "abc"])("offered %p → no common protocol", (offered) => {
    const r = negotiateProtocol({ PLUGIN_PROTOCOL_VERSIONS: offered }, "agyn");
    expect(r.version).toBeUndefined();
    expect(r.problem).toMatch(/^no common plugin protocol: Terraform offers \[.*\], the provider speaks \[6, 5\]$/);
  });

  it("names what Terraform offered", () => {
    expect(negotiateProtocol({ PLUGIN_PROTOCOL_VERSIONS: "3,4" }, "agyn").problem).toContain("Terraform offers [3, 4]");
  });

  it("nothing offered is reported as an empty offer", () => {
    expect(negotiateProtocol({}, "agyn").problem).toContain("Terraform offers []");
    expect(negotiateProtocol({ PLUGIN_PROTOCOL_VERSIONS: "" }, "agyn").problem).toContain("Terraform offers []");
  });

  it("AGYN_PROVIDER_PROTOCOL=5 or 6 restricts our side", () => {
    expect(negotiateProtocol({ PLUGIN_PROTOCOL_VERSIONS: "5,6", AGYN_PROVIDER_PROTOCOL: "5" }, "agyn")).toEqual({ version: 5 });
    expect(negotiateProtocol({ PLUGIN_PROTOCOL_VERSIONS: "6,5", AGYN_PROVIDER_PROTOCOL: " 6 " }, "agyn")).toEqual({ version: 6 });
    const r = negotiateProtocol({ PLUGIN_PROTOCOL_VERSIONS: "5", AGYN_PROVIDER_PROTOCOL: "6" }, "agyn");
    expect(r.version).toBeUndefined();
    expect(r.problem).toContain("the provider speaks [6]");
  });

  it("an empty AGYN_PROVIDER_PROTOCOL means no restriction", () => {
    expect(negotiateProtocol({ PLUGIN_PROTOCOL_VERSIONS: "5,6", AGYN_PROVIDER_PROTOCOL: "" }, "agyn")).toEqual({ version: 6 });
  });

  it.each(["7", "4", "five", "5,6"])("AGYN_PROVIDER_PROTOCOL=%p is refused", (forced) => {
    const r = negotiateProtocol({ PLUGIN_PROTOCOL_VERSIONS: "5,6", AGYN_PROVIDER_PROTOCOL: forced }, "agyn");
    expect(r.version).toBeUndefined();
    expect(r.problem).toBe(`AGYN_PROVIDER_PROTOCOL must be 5 or 6, not "${forced}"`);
  });
});

describe("handshakeLine", () => {
  it("is core 1, the protocol, unix, the socket, grpc and the certificate: six fields, one newline", () => {
    const line = handshakeLine(6, "/tmp/plugin123/sock", "MIIBcert");
    expect(line).toBe("1|6|unix|/tmp/plugin123/sock|grpc|MIIBcert\n");
    const fields = line.trimEnd().split("|");
    expect(fields).toHaveLength(6);
    expect(line.match(/\n/g)).toHaveLength(1);
  });

  it("writes protocol 5 as well", () => {
    expect(handshakeLine(5, "/s", "c").split("|").slice(0, 2)).toEqual(["1", "5"]);
  });

  it("an empty certificate still gives six fields (no seventh)", () => {
    expect(handshakeLine(5, "/s", "").trimEnd().split("|")).toEqual(["1", "5", "unix", "/s", "grpc", ""]);
  });
});

describe("launchedByTerraform", () => {
  it("only with the exact magic cookie", () => {
    expect(launchedByTerraform({ [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE })).toBe(true);
    expect(launchedByTerraform({})).toBe(false);
    expect(launchedByTerraform({ [MAGIC_COOKIE_KEY]: "" })).toBe(false);
    expect(launchedByTerraform({ [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE.toUpperCase() })).toBe(false);
    expect(launchedByTerraform({ [MAGIC_COOKIE_KEY]: ` ${MAGIC_COOKIE_VALUE}` })).toBe(false);
  });

  it("uses go-plugin's Terraform cookie", () => {
    expect(MAGIC_COOKIE_KEY).toBe("TF_PLUGIN_MAGIC_COOKIE");
    expect(MAGIC_COOKIE_VALUE).toBe("d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2");
  });
});
