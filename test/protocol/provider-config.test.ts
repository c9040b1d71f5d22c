// Provider block validation over the wire (v5 PrepareProviderConfig, v6 ValidateProviderConfig): attribute
// paths, the insecure-http rule, alias conflicts, token shape warnings that never echo the token, unknowns.
import { randomBytes } from "node:crypto";
import { encode, ExtData } from "@msgpack/msgpack";
import { killAllProviders, launchProvider, type Decoded, type LaunchedProvider } from "../support/plugin-process";
import { dv, errorsOf, pathOf, providerConfig, rpcNames, show, UNKNOWN, warningsOf } from "./wire-helpers";

afterAll(killAllProviders);

describe.each([5, 6])("provider configuration over protocol %i", (version) => {
  const rpc = rpcNames(version);
  let p: LaunchedProvider;
  beforeAll(async () => {
    p = await launchProvider({ offeredVersions: String(version) });
    expect(p.version).toBe(version);
  });
  afterAll(() => p?.kill());

  const validate = (values: Parameters<typeof providerConfig>[0]): Promise<Decoded> =>
    p.call(rpc.validateProvider, { config: dv(providerConfig(values)) });

  describe("the Gateway URL", () => {
    it("rejects something that is not a URL, pointing at gateway", async () => {
      const r = await validate({ gateway: "not a url" });
      const errors = errorsOf(r);
      expect(errors).toHaveLength(1);
      expect(pathOf(errors[0])).toEqual(["gateway"]);
      expect(errors[0].summary + errors[0].detail).toMatch(/url/i);
    });

    it("rejects plain http to a remote host as unencrypted, pointing at the attribute", async () => {
      const r = await validate({ gateway: "http://example.com" });
      const errors = errorsOf(r);
      expect(errors).toHaveLength(1);
      expect(pathOf(errors[0])).toEqual(["gateway"]);
      expect(`${errors[0].summary} ${errors[0].detail}`).toMatch(/unencrypted|insecure/i);
    });

    it("applies the same rule to the api_url alias", async () => {
      const errors = errorsOf(await validate({ api_url: "http://example.com" }));
      expect(errors.map(pathOf)).toEqual([["api_url"]]);
    });

    it("accepts plain http to a remote host with allow_insecure_http = true", async () => {
      const r = await validate({ gateway: "http://example.com", allow_insecure_http: true });
      expect(show(r.diagnostics)).toBe("[]");
    });

    it("still rejects it with allow_insecure_http = false", async () => {
      expect(errorsOf(await validate({ gateway: "http://example.com", allow_insecure_http: false }))).toHaveLength(1);
    });

    it.each(["http://127.0.0.1:1", "http://localhost:8080", "https://gateway.agyn.example.com", "https://agyn.example.com/api"])(
      "accepts %s",
      async (url) => {
        const r = await validate({ gateway: url });
        expect(show(r.diagnostics)).toBe("[]");
      },
    );
  });

  describe("aliases", () => {
    it("rejects gateway together with api_url", async () => {
      const errors = errorsOf(await validate({ gateway: "https://a.example.com", api_url: "https://b.example.com" }));
      expect(errors).toHaveLength(1);
      expect(errors[0].detail).toContain("api_url");
      expect(errors[0].detail).toContain("gateway");
      expect(pathOf(errors[0])).toEqual(["api_url"]);
    });

    it("rejects token together with api_token, without echoing either", async () => {
      const a = `tok-${randomBytes(12).toString("hex")}`;
      const b = `tok-${randomBytes(12).toString("hex")}`;
      const r = await validate({ token: a, api_token: b });
      const errors = errorsOf(r);
      expect(errors).toHaveLength(1);
      expect(pathOf(errors[0])).toEqual(["api_token"]);
      expect(JSON.stringify(show(r.diagnostics))).not.toContain(a);
      expect(JSON.stringify(show(r.diagnostics))).not.toContain(b);
    });
  });

  describe("token shape", () => {
    it.each(["token", "api_token"] as const)("warns (not errors) about a %s that is not agyn-shaped, without echoing it", async (attr) => {
      const value = `hunter2-${randomBytes(16).toString("hex")}`;
      const r = await validate({ [attr]: value });
      expect(errorsOf(r)).toEqual([]);
      const warnings = warningsOf(r);
      expect(warnings).toHaveLength(1);
      expect(pathOf(warnings[0])).toEqual([attr]);
      expect(warnings[0].summary).not.toContain(value);
      expect(warnings[0].detail).not.toContain(value);
      // Not even a recognisable piece of it.
      expect(warnings[0].summary + warnings[0].detail).not.toContain(value.slice(8, 24));
    });
  });

  describe("unknown values (provider arguments that depend on resources)", () => {
    // Not api_url/api_token as well: an unknown alias counts as set, so both spellings unknown is a conflict
    // (as terraform-plugin-framework's ConflictsWith treats unknowns).
    it("accepts every (non-conflicting) attribute unknown", async () => {
      const r = await validate({ gateway: UNKNOWN, token: UNKNOWN, profile: UNKNOWN, ca_file: UNKNOWN, allow_insecure_http: UNKNOWN });
      expect(show(r.diagnostics)).toBe("[]");
    });

    it("accepts the aliases unknown", async () => {
      const r = await validate({ api_url: UNKNOWN, api_token: UNKNOWN });
      expect(show(r.diagnostics)).toBe("[]");
    });

    it("accepts an unknown gateway next to a known token", async () => {
      const r = await validate({ gateway: UNKNOWN, token: UNKNOWN, allow_insecure_http: true });
      expect(show(errorsOf(r))).toBe("[]");
    });

    it("does not reject http to a remote host while allow_insecure_http is unknown (it may turn out true)", async () => {
      const r = await validate({ gateway: "http://example.com", allow_insecure_http: UNKNOWN });
      expect(show(errorsOf(r))).toBe("[]");
    });

    it("accepts refined unknowns (Terraform >= 1.6: ext type 12 with a payload of refinements)", async () => {
      // Refinements: 1 = definitely not null, 2 = known string prefix.
      const refined = new ExtData(12, encode(new Map<number, unknown>([[1, false], [2, "https://"]])));
      const r = await validate({ gateway: refined, token: new ExtData(12, encode(new Map([[1, false]]))) });
      expect(show(r.diagnostics)).toBe("[]");
    });

    it("still rejects a known bad URL next to unknowns", async () => {
      const r = await validate({ gateway: "not a url", token: UNKNOWN });
      expect(errorsOf(r).map(pathOf)).toEqual([["gateway"]]);
    });
  });

  if (version === 5) {
    describe("PrepareProviderConfig.prepared_config", () => {
      it.each([
        { name: "empty configuration", values: {} },
        { name: "settings", values: { gateway: "https://gateway.example.com", allow_insecure_http: false } },
        { name: "unknowns", values: { gateway: UNKNOWN, token: UNKNOWN } },
        { name: "an invalid URL (diagnostics, still echoed)", values: { gateway: "not a url" } },
      ])("echoes the request's msgpack bytes unchanged: $name", async ({ values }) => {
        const bytes = providerConfig(values);
        const r = await p.call("PrepareProviderConfig", { config: dv(bytes) });
        expect(r.preparedConfig).toBeDefined();
        expect(Buffer.from(r.preparedConfig.msgpack).toString("hex")).toBe(Buffer.from(bytes).toString("hex"));
        expect(r.preparedConfig.json).toHaveLength(0);
      });
    });
  }
});
