import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateApiToken } from "../../../gateway/token-format";
import type { Diagnostic } from "../../../schema/diagnostics";
import { createLogger, silentLogger } from "../../../provider/logging/logger";
import { resolveProviderSettings, validateProviderSettings } from "../../../resources/configuration/provider-settings";
import type { ProviderConfig } from "../../../resources/configuration/provider-schema";
import { unknown } from "../../../schema/cty";

/** A provider configuration as Terraform sends it: every attribute present, null unless given. */
function cfg(values: Partial<ProviderConfig> = {}): ProviderConfig {
  return { gateway: null, token: null, profile: null, ca_file: null, allow_insecure_http: null, request_timeout: null, max_retries: null, api_url: null, api_token: null, ...values };
}

const errors = (d: Diagnostic[]) => d.filter((x) => x.severity === "error");
const warnings = (d: Diagnostic[]) => d.filter((x) => x.severity === "warning");
const text = (d: Diagnostic[]) => JSON.stringify(d);

describe("validateProviderSettings", () => {
  it("accepts a complete https configuration without diagnostics", () => {
    expect(validateProviderSettings(cfg({ gateway: "https://gw.example.com", token: generateApiToken() }))).toEqual([]);
  });

  it("accepts an empty configuration (everything may come from the environment)", () => {
    expect(validateProviderSettings(cfg())).toEqual([]);
  });

  it.each([
    ["gateway", "api_url", { gateway: "https://a.example.com", api_url: "https://b.example.com" }],
    ["token", "api_token", { token: "t1", api_token: "t2" }],
  ] as const)("setting both %s and its alias %s is an error at the alias path", (name, alias, values) => {
    const diags = errors(validateProviderSettings(cfg(values)));
    expect(diags).toHaveLength(1);
    expect(diags[0].summary).toBe("Conflicting provider settings");
    expect(diags[0].path).toEqual([{ attr: alias }]);
    expect(diags[0].detail).toContain(`"${alias}" is an alias of "${name}"`);
  });

  it("setting only the alias is fine", () => {
    expect(validateProviderSettings(cfg({ api_url: "https://gw.example.com", api_token: generateApiToken() }))).toEqual([]);
  });

  it.each([
    ["not a url", "Invalid Gateway URL", "is not a URL"],
    ["gw.example.com", "Invalid Gateway URL", 'has no scheme (https://, or http:// on loopback). Did you mean "https://gw.example.com"?'],
    ["gw.example.com:8443/api", "Invalid Gateway URL", 'Did you mean "https://gw.example.com:8443/api"?'],
    ["localhost:36339", "Invalid Gateway URL", 'Did you mean "http://localhost:36339"?'],
    ["127.0.0.1:36339", "Invalid Gateway URL", 'Did you mean "http://127.0.0.1:36339"?'],
    ["ftp://gw.example.com", "Invalid Gateway URL", "not ftp://"],
    ["file:///etc/passwd", "Invalid Gateway URL", "not file://"],
    ["https://user:pw@gw.example.com", "Invalid Gateway URL", "credentials, a query or a fragment"],
    ["https://user@gw.example.com", "Invalid Gateway URL", "credentials, a query or a fragment"],
    ["https://gw.example.com/?x=1", "Invalid Gateway URL", "credentials, a query or a fragment"],
    ["https://gw.example.com/#frag", "Invalid Gateway URL", "credentials, a query or a fragment"],
    ["http://gw.example.com", "Insecure Gateway URL", "allow_insecure_http"],
    ["http://10.0.0.1:8080", "Insecure Gateway URL", "http://10.0.0.1:8080"],
    ["http://128.0.0.1", "Insecure Gateway URL", "not loopback"],
    ["http://localhost.example.com", "Insecure Gateway URL", "not loopback"],
  ])("%p is rejected (%s) at the attribute path, for both gateway and api_url", (url, summary, detailPart) => {
    for (const attr of ["gateway", "api_url"] as const) {
      const diags = validateProviderSettings(cfg({ [attr]: url }));
      expect(diags).toHaveLength(1);
      expect(diags[0]).toMatchObject({ severity: "error", summary, path: [{ attr }] });
      expect(diags[0].detail).toContain(detailPart);
    }
  });

  it("allow_insecure_http = true permits plain http to any host; false does not", () => {
    expect(validateProviderSettings(cfg({ gateway: "http://gw.example.com", allow_insecure_http: true }))).toEqual([]);
    expect(errors(validateProviderSettings(cfg({ gateway: "http://gw.example.com", allow_insecure_http: false })))).toHaveLength(1);
  });

  it("allow_insecure_http does not excuse other URL problems", () => {
    const diags = validateProviderSettings(cfg({ gateway: "ftp://gw.example.com", allow_insecure_http: true }));
    expect(diags.map((d) => d.summary)).toEqual(["Invalid Gateway URL"]);
  });

  it.each([
    "http://localhost",
    "http://localhost:8080",
    "http://LOCALHOST:8080",
    "http://127.0.0.1:1234",
    "http://127.0.0.5",
    "http://[::1]:8080",
    "http://foo.localhost:3000",
    "https://gw.example.com/api",
    "https://gw.example.com/api/",
    "https://gw.example.com:8443",
  ])("%p is fine", (url) => {
    expect(validateProviderSettings(cfg({ gateway: url }))).toEqual([]);
  });

  it("a token that is not agyn-shaped gets a warning at its path that does not repeat the value", () => {
    const bad = "definitely-not-a-token-" + "q".repeat(20);
    for (const attr of ["token", "api_token"] as const) {
      const diags = validateProviderSettings(cfg({ [attr]: bad }));
      expect(diags).toHaveLength(1);
      expect(diags[0]).toMatchObject({ severity: "warning", summary: "Token does not look like an agyn API token", path: [{ attr }] });
      expect(diags[0].summary).not.toContain(bad);
      expect(diags[0].detail).not.toContain(bad);
      expect(diags[0].detail).not.toContain("qqqq");
    }
  });

  it("a token read from a file with its newline (or padded with spaces) gets no warning: it is trimmed before use", () => {
    const good = generateApiToken();
    for (const padded of [`${good}\n`, `${good}\r\n`, ` ${good} `]) {
      for (const attr of ["token", "api_token"] as const) expect(validateProviderSettings(cfg({ [attr]: padded }))).toEqual([]);
    }
  });

  it("a truncated or mis-prefixed token is only a warning, never an error", () => {
    const good = generateApiToken();
    for (const bad of [good.slice(0, -1), good + "x", good.replace("agyn_", "agin_"), ` ${good.slice(1)}`]) {
      const diags = validateProviderSettings(cfg({ token: bad }));
      expect(errors(diags)).toEqual([]);
      expect(warnings(diags)).toHaveLength(1);
      expect(text(diags)).not.toContain(bad.trim());
    }
  });

  it("skips unknown values", () => {
    expect(validateProviderSettings(cfg({ gateway: unknown, token: unknown, api_url: null }))).toEqual([]);
    // An unknown allow_insecure_http may turn out true, so http is not an error yet.
    expect(validateProviderSettings(cfg({ gateway: "http://gw.example.com", allow_insecure_http: unknown }))).toEqual([]);
  });
});

// ---- resolveProviderSettings -----------------------------------------------------------------------------

const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

describe("resolveProviderSettings", () => {
  let home: string;
  let tokenA: string;
  let tokenB: string;
  let envToken: string;
  let attrToken: string;

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), "agyn-settings-"));
    tokenA = generateApiToken();
    tokenB = generateApiToken();
    envToken = generateApiToken();
    attrToken = generateApiToken();
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const agynDir = () => join(home, ".agyn");
  function writeConfig(text: string): void {
    mkdirSync(agynDir(), { recursive: true });
    writeFileSync(join(agynDir(), "config.yaml"), text);
  }
  function writeCredentials(text: string): void {
    mkdirSync(agynDir(), { recursive: true });
    writeFileSync(join(agynDir(), "credentials"), text);
  }
  /** Two profiles: a (current) and b, each with its own Gateway and token. */
  function writeTwoProfiles(extraA = ""): void {
    writeConfig(
      "currentProfile: a\nprofiles:\n" +
        `  a:\n    gatewayUrl: https://a.example.com\n${extraA}` +
        "  b:\n    gatewayUrl: https://b.example.com\n",
    );
    writeCredentials(`a:\n  token: ${tokenA}\nb:\n  token: ${tokenB}\n`);
  }
  const env = (vars: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ HOME: home, ...vars });

  function collectingLogger() {
    const lines: string[] = [];
    return { lines, log: createLogger({ level: "trace", write: (l) => lines.push(l) }) };
  }

  async function resolveOk(config: ProviderConfig, e: NodeJS.ProcessEnv) {
    const r = await resolveProviderSettings(config, e, silentLogger);
    expect(r.problems).toEqual([]);
    expect(r.settings).toBeDefined();
    return r.settings!;
  }

  it("uses the attributes when nothing else exists", async () => {
    const s = await resolveOk(cfg({ gateway: "https://gw.example.com", token: attrToken }), env());
    expect(s).toEqual({ gatewayUrl: "https://gw.example.com", token: attrToken, caPem: undefined });
  });

  it("attributes beat the environment, which beats the current profile", async () => {
    writeTwoProfiles();
    const e = env({ AGYN_GATEWAY_URL: "https://env.example.com", AGYN_TOKEN: envToken });
    expect(await resolveOk(cfg({ gateway: "https://attr.example.com", token: attrToken }), e))
      .toMatchObject({ gatewayUrl: "https://attr.example.com", token: attrToken });
    expect(await resolveOk(cfg(), e)).toMatchObject({ gatewayUrl: "https://env.example.com", token: envToken });
    expect(await resolveOk(cfg(), env())).toMatchObject({ gatewayUrl: "https://a.example.com", token: tokenA });
  });

  it("an attribute beats the environment for one setting while the other still comes from the environment", async () => {
    const e = env({ AGYN_GATEWAY_URL: "https://env.example.com", AGYN_TOKEN: envToken });
    expect(await resolveOk(cfg({ token: attrToken }), e)).toMatchObject({ gatewayUrl: "https://env.example.com", token: attrToken });
    expect(await resolveOk(cfg({ gateway: "https://attr.example.com" }), e)).toMatchObject({ gatewayUrl: "https://attr.example.com", token: envToken });
  });

  it("AGYN_TOKEN beats AGYN_API_TOKEN; AGYN_API_TOKEN is used alone", async () => {
    const other = generateApiToken();
    expect(await resolveOk(cfg(), env({ AGYN_GATEWAY_URL: "https://gw.example.com", AGYN_TOKEN: envToken, AGYN_API_TOKEN: other })))
      .toMatchObject({ token: envToken });
    expect(await resolveOk(cfg(), env({ AGYN_GATEWAY_URL: "https://gw.example.com", AGYN_API_TOKEN: other })))
      .toMatchObject({ token: other });
  });

  it("empty or blank environment variables and empty attributes count as unset", async () => {
    writeTwoProfiles();
    const s = await resolveOk(cfg({ gateway: "", token: "" }), env({ AGYN_GATEWAY_URL: "  ", AGYN_TOKEN: "", AGYN_API_TOKEN: " " }));
    expect(s).toMatchObject({ gatewayUrl: "https://a.example.com", token: tokenA });
  });

  it("a token attribute is used without its surrounding whitespace; a blank one counts as unset", async () => {
    const e = env({ AGYN_GATEWAY_URL: "https://env.example.com", AGYN_TOKEN: envToken });
    expect(await resolveOk(cfg({ token: `${attrToken}\n` }), e)).toMatchObject({ token: attrToken });
    expect(await resolveOk(cfg({ api_token: ` ${attrToken}\r\n` }), e)).toMatchObject({ token: attrToken });
    expect(await resolveOk(cfg({ token: " \n" }), e)).toMatchObject({ token: envToken });
  });

  it("api_url and api_token are aliases of gateway and token", async () => {
    const s = await resolveOk(cfg({ api_url: "https://alias.example.com", api_token: attrToken }),
      env({ AGYN_GATEWAY_URL: "https://env.example.com", AGYN_TOKEN: envToken }));
    expect(s).toMatchObject({ gatewayUrl: "https://alias.example.com", token: attrToken });
  });

  it("AGYN_PROFILE selects a profile other than currentProfile", async () => {
    writeTwoProfiles();
    expect(await resolveOk(cfg(), env({ AGYN_PROFILE: "b" }))).toMatchObject({ gatewayUrl: "https://b.example.com", token: tokenB });
  });

  it("the profile attribute beats AGYN_PROFILE and the environment's Gateway and token", async () => {
    writeTwoProfiles();
    const e = env({ AGYN_PROFILE: "a", AGYN_GATEWAY_URL: "https://env.example.com", AGYN_TOKEN: envToken });
    expect(await resolveOk(cfg({ profile: "b" }), e)).toMatchObject({ gatewayUrl: "https://b.example.com", token: tokenB });
  });

  it("gateway/token attributes still beat an explicitly selected profile", async () => {
    writeTwoProfiles();
    expect(await resolveOk(cfg({ profile: "b", gateway: "https://b.example.com", token: attrToken }), env()))
      .toMatchObject({ gatewayUrl: "https://b.example.com", token: attrToken });
  });

  it("a profile token is used with an explicit Gateway that is the profile's own (ignoring a trailing slash)", async () => {
    writeTwoProfiles();
    expect(await resolveOk(cfg({ gateway: "https://a.example.com/" }), env())).toMatchObject({ token: tokenA });
  });

  it("refuses to send a profile's token to a Gateway from an attribute", async () => {
    writeTwoProfiles();
    const r = await resolveProviderSettings(cfg({ gateway: "https://elsewhere.example.com" }), env(), silentLogger);
    expect(r.settings).toBeUndefined();
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].summary).toBe("Profile token used with another Gateway");
    expect(r.problems[0].detail).toContain('profile "a"');
    expect(r.problems[0].detail).toContain('provider attribute "gateway"');
    expect(text(r.problems)).not.toContain(tokenA);
  });

  it("refuses to send a profile's token to a Gateway from AGYN_GATEWAY_URL", async () => {
    writeTwoProfiles();
    const r = await resolveProviderSettings(cfg(), env({ AGYN_GATEWAY_URL: "https://env.example.com" }), silentLogger);
    expect(r.settings).toBeUndefined();
    expect(r.problems.map((p) => p.summary)).toEqual(["Profile token used with another Gateway"]);
    expect(r.problems[0].detail).toContain("environment variable AGYN_GATEWAY_URL");
  });

  it("refuses a profile token when the profile has no gatewayUrl", async () => {
    writeConfig("currentProfile: a\nprofiles:\n  a: {}\n");
    writeCredentials(`a:\n  token: ${tokenA}\n`);
    const r = await resolveProviderSettings(cfg({ gateway: "https://gw.example.com" }), env(), silentLogger);
    expect(r.settings).toBeUndefined();
    expect(r.problems[0].summary).toBe("Profile token used with another Gateway");
    expect(r.problems[0].detail).toContain("the profile has no gatewayUrl");
  });

  it("a profile's Gateway may be used with a token from elsewhere", async () => {
    writeTwoProfiles();
    expect(await resolveOk(cfg(), env({ AGYN_TOKEN: envToken }))).toMatchObject({ gatewayUrl: "https://a.example.com", token: envToken });
  });

  it("without any Gateway or token: both errors, with their paths", async () => {
    const r = await resolveProviderSettings(cfg(), env(), silentLogger);
    expect(r.settings).toBeUndefined();
    expect(r.problems.map((p) => [p.severity, p.summary, p.path])).toEqual([
      ["error", "No agyn Gateway configured", [{ attr: "gateway" }]],
      ["error", "No agyn API token configured", [{ attr: "token" }]],
    ]);
  });

  it("only the missing one is reported", async () => {
    const r1 = await resolveProviderSettings(cfg({ gateway: "https://gw.example.com" }), env(), silentLogger);
    expect(r1.problems.map((p) => p.summary)).toEqual(["No agyn API token configured"]);
    const r2 = await resolveProviderSettings(cfg({ token: attrToken }), env(), silentLogger);
    expect(r2.problems.map((p) => p.summary)).toEqual(["No agyn Gateway configured"]);
  });

  it("unknown configuration values: 'Provider configuration not yet known', naming the attributes", async () => {
    for (const attr of ["gateway", "token", "profile", "ca_file", "allow_insecure_http"] as const) {
      const r = await resolveProviderSettings(cfg({ gateway: "https://gw.example.com", token: attrToken, [attr]: unknown }), env(), silentLogger);
      expect(r.settings).toBeUndefined();
      expect(r.problems).toHaveLength(1);
      expect(r.problems[0]).toMatchObject({ severity: "error", summary: "Provider configuration not yet known" });
      expect(r.problems[0].detail).toContain(`"${attr}"`);
    }
  });

  it("an insecure Gateway URL from the environment is refused, naming its source", async () => {
    const r = await resolveProviderSettings(cfg({ token: attrToken }), env({ AGYN_GATEWAY_URL: "http://gw.example.com" }), silentLogger);
    expect(r.settings).toBeUndefined();
    expect(r.problems[0].summary).toBe("Insecure Gateway URL");
    expect(r.problems[0].detail).toContain("environment variable AGYN_GATEWAY_URL");
    expect(r.problems[0].path).toBeUndefined();
    const ok = await resolveOk(cfg({ token: attrToken, allow_insecure_http: true }), env({ AGYN_GATEWAY_URL: "http://gw.example.com" }));
    expect(ok.gatewayUrl).toBe("http://gw.example.com");
  });

  it("an invalid Gateway URL from the api_url attribute points at api_url", async () => {
    const r = await resolveProviderSettings(cfg({ api_url: "http://gw.example.com", token: attrToken }), env(), silentLogger);
    expect(r.problems[0].path).toEqual([{ attr: "api_url" }]);
  });

  describe("ca_file", () => {
    it("reads a PEM file", async () => {
      const ca = join(home, "ca.pem");
      writeFileSync(ca, PEM);
      const s = await resolveOk(cfg({ gateway: "https://gw.example.com", token: attrToken, ca_file: ca }), env());
      expect(s.caPem).toBe(PEM);
    });

    it("a missing file is an error at ca_file", async () => {
      const ca = join(home, "missing.pem");
      const r = await resolveProviderSettings(cfg({ gateway: "https://gw.example.com", token: attrToken, ca_file: ca }), env(), silentLogger);
      expect(r.settings).toBeUndefined();
      expect(r.problems).toHaveLength(1);
      expect(r.problems[0]).toMatchObject({ severity: "error", summary: "Cannot read the CA file", path: [{ attr: "ca_file" }] });
      expect(r.problems[0].detail).toBe(`${ca}: no such file.`);
    });

    it("a directory is an error at ca_file, said in words", async () => {
      const r = await resolveProviderSettings(cfg({ gateway: "https://gw.example.com", token: attrToken, ca_file: home }), env(), silentLogger);
      expect(r.problems[0]).toMatchObject({ summary: "Cannot read the CA file", path: [{ attr: "ca_file" }] });
      expect(r.problems[0].detail).toBe(`${home}: it is a directory, not a file.`);
    });

    it("a file that is not PEM is an error at ca_file", async () => {
      const ca = join(home, "ca.txt");
      writeFileSync(ca, "hello\n");
      const r = await resolveProviderSettings(cfg({ gateway: "https://gw.example.com", token: attrToken, ca_file: ca }), env(), silentLogger);
      expect(r.settings).toBeUndefined();
      expect(r.problems[0]).toMatchObject({ summary: "Invalid CA file", path: [{ attr: "ca_file" }] });
      expect(r.problems[0].detail).toContain(ca);
    });

    it("the profile's caFile is used with the profile's Gateway", async () => {
      const ca = join(home, "profile-ca.pem");
      writeFileSync(ca, PEM);
      writeTwoProfiles(`    caFile: ${ca}\n`);
      expect((await resolveOk(cfg(), env())).caPem).toBe(PEM);
    });

    it("the profile's caFile is not used with a Gateway from elsewhere", async () => {
      const ca = join(home, "profile-ca.pem");
      writeFileSync(ca, PEM);
      writeTwoProfiles(`    caFile: ${ca}\n`);
      const s = await resolveOk(cfg({ gateway: "https://gw.example.com", token: attrToken }), env());
      expect(s.caPem).toBeUndefined();
    });

    it("an unreadable caFile from the profile is an error without an attribute path", async () => {
      writeTwoProfiles(`    caFile: ${join(home, "nope.pem")}\n`);
      const r = await resolveProviderSettings(cfg(), env(), silentLogger);
      expect(r.problems[0]).toMatchObject({ summary: "Cannot read the CA file" });
      expect(r.problems[0].path).toBeUndefined();
    });
  });

  describe("profile files", () => {
    it("no profile files and no profile asked for: nothing comes from a profile", async () => {
      const r = await resolveProviderSettings(cfg(), env(), silentLogger);
      expect(r.problems.map((p) => p.summary)).toEqual(["No agyn Gateway configured", "No agyn API token configured"]);
    });

    it("an explicitly requested profile without files is an error at profile", async () => {
      const r = await resolveProviderSettings(cfg({ profile: "prod" }), env(), silentLogger);
      expect(r.problems).toHaveLength(1);
      expect(r.problems[0]).toMatchObject({ summary: "Cannot use the agyn CLI profile", path: [{ attr: "profile" }] });
      expect(r.problems[0].detail).toContain('profile "prod" was requested');
    });

    it("an undefined profile is an error; from AGYN_PROFILE it has no attribute path", async () => {
      writeTwoProfiles();
      const r1 = await resolveProviderSettings(cfg({ profile: "zzz" }), env(), silentLogger);
      expect(r1.problems[0]).toMatchObject({ summary: "Cannot use the agyn CLI profile", path: [{ attr: "profile" }] });
      expect(r1.problems[0].detail).toContain('profile "zzz" is not defined');
      const r2 = await resolveProviderSettings(cfg(), env({ AGYN_PROFILE: "zzz" }), silentLogger);
      expect(r2.problems[0].summary).toBe("Cannot use the agyn CLI profile");
      expect(r2.problems[0].path).toBeUndefined();
    });

    it("malformed YAML in the credentials file is an error that does not quote the token", async () => {
      writeConfig("currentProfile: a\nprofiles:\n  a:\n    gatewayUrl: https://a.example.com\n");
      writeCredentials(`a:\n  token: ${tokenA}\n   bad: [${tokenA}\n`);
      const r = await resolveProviderSettings(cfg(), env(), silentLogger);
      expect(r.settings).toBeUndefined();
      expect(r.problems).toHaveLength(1);
      expect(r.problems[0].summary).toBe("Cannot use the agyn CLI profile");
      expect(r.problems[0].detail).toMatch(/credentials is not valid YAML \(line \d+\)/);
      expect(text(r.problems)).not.toContain(tokenA);
      expect(text(r.problems)).not.toContain(tokenA.slice(5, 20));
    });

    it("YAML warnings about the credentials file never print the token (e.g. to stderr, which Terraform logs)", async () => {
      writeConfig("currentProfile: a\nprofiles:\n  a:\n    gatewayUrl: https://a.example.com\n");
      writeCredentials(`a:\n  token: !secret ${tokenA}\n`);
      const emitted: string[] = [];
      const emitSpy = jest.spyOn(process, "emitWarning").mockImplementation(((w: unknown) => {
        emitted.push(w instanceof Error ? `${w.name}: ${w.message}` : String(w));
      }) as typeof process.emitWarning);
      const warnSpy = jest.spyOn(console, "warn").mockImplementation((...args: unknown[]) => {
        emitted.push(args.map(String).join(" "));
      });
      const errSpy = jest.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
        emitted.push(args.map(String).join(" "));
      });
      try {
        await resolveProviderSettings(cfg(), env(), silentLogger);
      } finally {
        emitSpy.mockRestore();
        warnSpy.mockRestore();
        errSpy.mockRestore();
      }
      expect(emitted.join("\n")).not.toContain(tokenA);
    });

    it("a config file that is not in the CLI format gives a clear error", async () => {
      writeConfig("currentProfile: a\nprofiles:\n  a:\n    gatewayUrl: 42\n");
      const r = await resolveProviderSettings(cfg(), env(), silentLogger);
      expect(r.problems).toHaveLength(1);
      expect(r.problems[0].summary).toBe("Cannot use the agyn CLI profile");
      expect(r.problems[0].detail).toContain(join(agynDir(), "config.yaml"));
      expect(r.problems[0].detail).toContain("is not in the agyn CLI format: profiles.a.gatewayUrl:");
    });

    it("a credentials file whose token is not a string gives a clear error without the value", async () => {
      writeConfig("currentProfile: a\nprofiles:\n  a:\n    gatewayUrl: https://a.example.com\n");
      writeCredentials(`a:\n  token: [${tokenA}]\n`);
      const r = await resolveProviderSettings(cfg(), env(), silentLogger);
      expect(r.problems[0].detail).toContain("is not in the agyn CLI format: a.token:");
      expect(text(r.problems)).not.toContain(tokenA);
    });

    it("an unreadable config file is an error", async () => {
      writeCredentials(`a:\n  token: ${tokenA}\n`);
      mkdirSync(join(agynDir(), "config.yaml")); // EISDIR even for root
      const r = await resolveProviderSettings(cfg(), env(), silentLogger);
      expect(r.problems[0].summary).toBe("Cannot use the agyn CLI profile");
      expect(r.problems[0].detail).toContain("cannot read");
    });

    it("a profile with only credentials still provides a token (but then needs its Gateway)", async () => {
      writeCredentials(`a:\n  token: ${tokenA}\n`);
      const r = await resolveProviderSettings(cfg({ profile: "a" }), env({ AGYN_GATEWAY_URL: "https://gw.example.com" }), silentLogger);
      expect(r.problems.map((p) => p.summary)).toEqual(["Profile token used with another Gateway"]);
    });
  });

  describe("debug log", () => {
    it("names where each setting came from, never the token", async () => {
      const { lines, log } = collectingLogger();
      await resolveProviderSettings(cfg({ gateway: "https://gw.example.com" }), { HOME: home, AGYN_TOKEN: envToken }, log);
      const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(entries).toEqual(expect.arrayContaining([
        expect.objectContaining({ "@level": "debug", "@message": "gateway setting resolved", source: 'provider attribute "gateway"' }),
        expect.objectContaining({ "@level": "debug", "@message": "token setting resolved", source: "environment variable AGYN_TOKEN" }),
      ]));
      expect(lines.join("")).not.toContain(envToken);
    });

    it("names the profile as the source", async () => {
      writeTwoProfiles();
      const { lines, log } = collectingLogger();
      const r = await resolveProviderSettings(cfg(), env({ AGYN_PROFILE: "b" }), log);
      expect(r.problems).toEqual([]);
      const sources = lines.map((l) => (JSON.parse(l) as { source?: string }).source);
      expect(sources).toEqual([`profile "b" (${agynDir()})`, `profile "b" (${agynDir()})`]);
      expect(lines.join("")).not.toContain(tokenB);
    });

    it("names AGYN_API_TOKEN and the api_token attribute", async () => {
      const { lines, log } = collectingLogger();
      await resolveProviderSettings(cfg({ gateway: "https://gw.example.com" }), env({ AGYN_API_TOKEN: envToken }), log);
      await resolveProviderSettings(cfg({ api_url: "https://gw.example.com", api_token: attrToken }), env(), log);
      const sources = lines.map((l) => (JSON.parse(l) as { source?: string }).source);
      expect(sources).toEqual([
        'provider attribute "gateway"', "environment variable AGYN_API_TOKEN",
        'provider attribute "api_url"', 'provider attribute "api_token"',
      ]);
      expect(lines.join("")).not.toContain(envToken);
      expect(lines.join("")).not.toContain(attrToken);
    });
  });
});
