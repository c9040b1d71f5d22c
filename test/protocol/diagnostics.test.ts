// Bad input from Terraform (or anything else on the socket) becomes diagnostics or a gRPC status — never a
// crash: the process keeps serving afterwards.
import * as grpc from "@grpc/grpc-js";
import { encode } from "@msgpack/msgpack";
import { killAllProviders, launchProvider, type Decoded, type LaunchedProvider } from "../support/plugin-process";
import { dv, errorsOf, pathOf, PROVIDER_ATTRIBUTES, providerConfig, rpcNames, show, userConfig, USER_ATTRIBUTES } from "./wire-helpers";

afterAll(killAllProviders);

const nulls = (attrs: readonly string[]) => Object.fromEntries(attrs.map((a) => [a, null]));

describe.each([5, 6])("protocol %i", (version) => {
  const rpc = rpcNames(version);
  let p: LaunchedProvider;
  beforeAll(async () => {
    p = await launchProvider({ offeredVersions: String(version) });
    expect(p.version).toBe(version);
  });
  afterAll(() => p?.kill());

  /** After every case: the same process is alive and still answers. */
  afterEach(async () => {
    expect(p.alive()).toBe(true);
    const schema = await p.call(rpc.schema);
    expect(schema.diagnostics).toEqual([]);
  });

  function expectOneErrorMentioning(resp: Decoded, ...needles: string[]) {
    const errors = errorsOf(resp);
    expect(errors.length).toBeGreaterThanOrEqual(1);
    const text = errors.map((d) => `${d.summary}\n${d.detail}`).join("\n");
    for (const n of needles) expect(text).toContain(n);
    return errors;
  }

  describe("unknown type names", () => {
    it("ReadDataSource reports an error naming the type", async () => {
      const r = await p.call(rpc.readData, { typeName: "agyn_nonexistent", config: dv(userConfig()) });
      expectOneErrorMentioning(r, "agyn_nonexistent");
      expect(r.state).toBeUndefined();
    });

    it(`${rpc.validateData} reports an error naming the type`, async () => {
      const r = await p.call(rpc.validateData, { typeName: "agyn_nonexistent", config: dv(userConfig()) });
      expectOneErrorMentioning(r, "agyn_nonexistent");
    });

    it("the known type validates cleanly (control)", async () => {
      const r = await p.call(rpc.validateData, { typeName: "agyn_user", config: dv(userConfig()) });
      expect(r.diagnostics).toEqual([]);
    });
  });

  describe(`malformed provider configuration in ${rpc.validateProvider}`, () => {
    const cases: { name: string; bytes: Uint8Array; path?: (string | number)[]; mentions?: string }[] = [
      { name: "the reserved msgpack byte c1", bytes: Uint8Array.of(0xc1) },
      { name: "truncated msgpack (a 7-entry map with one entry)", bytes: Uint8Array.of(0x87, 0xa7, ...Buffer.from("gateway"), 0xc0) },
      { name: "a string where an object is expected", bytes: encode("gateway = https://x") },
      { name: "an array where an object is expected", bytes: encode([1, 2, 3]) },
      { name: "an attribute the schema does not have", bytes: encode({ ...nulls(PROVIDER_ATTRIBUTES), region: "eu" }), mentions: "region" },
      { name: "a number where a string is expected", bytes: providerConfig({ gateway: 42 }), path: ["gateway"] },
      { name: "a list where a string is expected", bytes: providerConfig({ gateway: ["https://a", "https://b"] }), path: ["gateway"] },
      { name: "a string where a bool is expected", bytes: providerConfig({ allow_insecure_http: "yes" }), path: ["allow_insecure_http"] },
      { name: "an object where a string is expected", bytes: providerConfig({ token: { value: "x" } }), path: ["token"] },
    ];

    it.each(cases)("$name: an ERROR diagnostic", async ({ bytes, path, mentions }) => {
      const r = await p.call(rpc.validateProvider, { config: dv(bytes) });
      const errors = expectOneErrorMentioning(r, ...(mentions ? [mentions] : []));
      if (path) expect(errors.map(pathOf)).toContainEqual(path);
      if (version === 5) expect(r.preparedConfig === undefined || r.preparedConfig.json.length === 0).toBe(true);
    });

    it("the well-formed configuration validates cleanly (control)", async () => {
      const r = await p.call(rpc.validateProvider, { config: dv(providerConfig({ gateway: "https://gateway.example.com" })) });
      expect(show(r.diagnostics)).toBe("[]");
    });
  });

  describe("malformed values in other requests", () => {
    it("Configure with undecodable msgpack is an ERROR diagnostic", async () => {
      const r = await p.call(rpc.configure, { terraformVersion: "1.9.0", config: dv(Uint8Array.of(0xc1)) });
      expectOneErrorMentioning(r, "provider configuration");
    });

    it("ReadDataSource with undecodable config is an ERROR diagnostic", async () => {
      const r = await p.call(rpc.readData, { typeName: "agyn_user", config: dv(Uint8Array.of(0xc1)) });
      expectOneErrorMentioning(r);
      expect(r.state).toBeUndefined();
    });

    it("ReadDataSource with a wrongly typed attribute points at it", async () => {
      const r = await p.call(rpc.readData, { typeName: "agyn_user", config: dv(encode({ ...nulls(USER_ATTRIBUTES), name: [1] })) });
      const errors = expectOneErrorMentioning(r);
      expect(errors.map(pathOf)).toContainEqual(["name"]);
    });

    it(`${rpc.validateData} with an extra attribute is an ERROR diagnostic naming it`, async () => {
      const r = await p.call(rpc.validateData, { typeName: "agyn_user", config: dv(encode({ ...nulls(USER_ATTRIBUTES), owner: "me" })) });
      expectOneErrorMentioning(r, "owner");
    });
  });

  describe("garbage protobuf", () => {
    const garbage = [
      { name: "0xff bytes", bytes: Uint8Array.of(0xff, 0xff, 0xff, 0xff) },
      { name: "a field claiming 127 bytes that are not there", bytes: Uint8Array.of(0x0a, 0x7f, 0x01) },
      { name: "an invalid wire type", bytes: Uint8Array.of(0x0f, 0x00) },
    ];

    it.each(garbage)("$name: a gRPC error status, not a crash", async ({ bytes }) => {
      const method = version === 5 ? "PrepareProviderConfig" : "ValidateProviderConfig";
      const err = await p.callRaw(method, bytes).then(() => undefined, (e: unknown) => e as grpc.ServiceError);
      expect(err).toBeDefined();
      expect(err!.code).not.toBe(grpc.status.OK);
      expect([grpc.status.INTERNAL, grpc.status.INVALID_ARGUMENT]).toContain(err!.code);
    });

    it("a method that does not exist is UNIMPLEMENTED", async () => {
      await expect(p.callRaw(`/tfplugin${version}.Provider/NoSuchMethod`, new Uint8Array())).rejects.toMatchObject({
        code: grpc.status.UNIMPLEMENTED,
      });
    });
  });
});
