// Configure loads the profile parser (YAML and zod, tens of ms at every launch) only when there is a profile to
// read: here the loader module is replaced by one that records being loaded, and settings are resolved with and
// without the agyn CLI's files.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "../../../provider/logging/logger";
import type { ProviderConfig } from "../../../resources/configuration/provider-schema";

const loaded = jest.fn();
jest.mock("../../../resources/configuration/agyn-profile", () => {
  loaded();
  return jest.requireActual("../../../resources/configuration/agyn-profile");
});

/** A provider block with a Gateway and a token, as Terraform sends it: every attribute present. */
const config = (values: Partial<ProviderConfig> = {}): ProviderConfig => ({
  gateway: "https://gateway.example.com", token: "a-token-of-some-length", profile: null, ca_file: null, allow_insecure_http: null,
  request_timeout: null, max_retries: null, api_url: null, api_token: null, ...values,
});

describe("the profile parser", () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), "agyn-profile-loading-"));
    jest.resetModules();
    loaded.mockClear();
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  async function resolve(values: Partial<ProviderConfig>, env: NodeJS.ProcessEnv) {
    const { resolveProviderSettings } = await import("../../../resources/configuration/provider-settings");
    return resolveProviderSettings(config(values), env, silentLogger);
  }

  it("is not loaded without CLI files or a requested profile", async () => {
    const r = await resolve({}, { HOME: home });
    expect(r.problems).toEqual([]);
    expect(r.settings?.gatewayUrl).toBe("https://gateway.example.com");
    expect(loaded).not.toHaveBeenCalled();
  });

  it("is loaded when a CLI file exists", async () => {
    mkdirSync(join(home, ".agyn"));
    writeFileSync(join(home, ".agyn/config.yaml"), "currentProfile: work\n");
    await resolve({}, { HOME: home });
    expect(loaded).toHaveBeenCalledTimes(1);
  });

  it.each([
    ["the profile argument", { profile: "work" }, {}],
    ["AGYN_PROFILE", {}, { AGYN_PROFILE: "work" }],
  ])("is loaded when %s asks for a profile, and says it is missing", async (_what, values, extraEnv) => {
    const r = await resolve(values, { HOME: home, ...extraEnv });
    expect(loaded).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(r.problems)).toContain("Cannot use the agyn CLI profile");
  });
});
