// No RPC turns a failure into a gRPC error: the core's boundary answers every RPC with diagnostics and a
// complete answer (PlanResourceChange's requires_replace included, which the wire translation maps), and a
// handler that throws anyway is answered with an error diagnostic wherever the response has room for one.
import * as grpc from "@grpc/grpc-js";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Provider, PlanResourceChange_RequestSchema, PlanResourceChange_ResponseSchema, StopProvider_RequestSchema } from "../../../gen/tfplugin6/tfplugin6_pb";
import { encodeMsgpack } from "../../../provider/codec/msgpack";
import { ProviderCore } from "../../../provider/core/provider-core";
import type { ProviderDefinition } from "../../../provider/definition";
import { createLogger } from "../../../provider/logging/logger";
import { addUnaryService } from "../../../provider/protocol/grpc-service";
import { protocol6Handlers } from "../../../provider/protocol/protocol6";
import { wireTranslation } from "../../../provider/protocol/wire-translation";
import { type Block, impliedType } from "../../../schema/declaration";

const block: Block = { description: "", attributes: { id: { type: "string", description: "", computed: true }, name: { type: "string", description: "", required: true } } };
const mp = (v: Record<string, unknown> | null) => ({ msgpack: encodeMsgpack(v as never, impliedType(block)) });
const silent = createLogger({ level: "off" });

/** A provider whose modifyPlan fails with a bug (not a DiagnosticError). */
function brokenPlanCore() {
  const def: ProviderDefinition<object> = {
    name: "fake", address: "registry.terraform.io/example/fake", secretShapes: [], version: "0.0.1",
    schema: { version: 0, block: { description: "", attributes: {} } },
    configure: async () => ({ session: {} }),
    resources: [{
      typeName: "fake_thing", schema: { version: 0, block },
      modifyPlan: async () => {
        throw new TypeError("Cannot read properties of undefined (reading 'map')");
      },
      create: async () => ({}), read: async () => ({}), update: async () => ({}), delete: async () => ({}),
    }],
    dataSources: [], ephemeralResources: [],
  };
  return new ProviderCore(def, silent);
}

const planRequest = {
  typeName: "fake_thing",
  priorState: mp({ id: "1", name: "a" }),
  proposedNewState: mp({ id: "1", name: "b" }),
  config: mp({ id: null, name: "b" }),
  priorPrivate: new Uint8Array(),
};

describe("PlanResourceChange's error path", () => {
  it("the core answers a failing plan with an error diagnostic and an empty requires_replace", async () => {
    const r = await brokenPlanCore().planResourceChange(planRequest);
    expect(r.requiresReplace).toEqual([]);
    expect(r.diagnostics.map((d) => [d.severity, d.summary])).toEqual([["error", "Unexpected error in PlanResourceChange"]]);
  });

  it("the wire translation maps that answer (it used to throw reading requires_replace of an error answer)", async () => {
    const answer = await wireTranslation(brokenPlanCore()).planResourceChange(create(PlanResourceChange_RequestSchema, planRequest));
    expect(answer.requiresReplace).toEqual([]);
    expect(answer.diagnostics).toHaveLength(1);
  });
});

describe("a gRPC server whose handler throws", () => {
  let dir: string;
  let server: grpc.Server;
  let client: grpc.Client;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "agyn-grpc-test-"));
    server = new grpc.Server();
    const handlers = protocol6Handlers(brokenPlanCore());
    addUnaryService(server, Provider, {
      ...handlers,
      // Bugs below the core's boundary: the one place every RPC passes must still answer with diagnostics.
      planResourceChange: async () => {
        throw new Error("wire bug");
      },
      stopProvider: async () => {
        throw new Error("stop bug");
      },
    }, silent);
    const socket = join(dir, "plugin.sock");
    await new Promise<void>((resolve, reject) =>
      server.bindAsync(`unix://${socket}`, grpc.ServerCredentials.createInsecure(), (e) => (e ? reject(e) : resolve())));
    client = new grpc.Client(`unix://${socket}`, grpc.credentials.createInsecure());
  });
  afterAll(() => {
    client?.close();
    server?.forceShutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = (method: string, body: Uint8Array) =>
    new Promise<Buffer>((resolve, reject) =>
      client.makeUnaryRequest(`/tfplugin6.Provider/${method}`, (b: Uint8Array) => Buffer.from(b), (b: Buffer) => b, body, (e, r) => (e ? reject(e) : resolve(r!))));

  it("answers OK with an error diagnostic, not INTERNAL, where the response has diagnostics", async () => {
    const bytes = await call("PlanResourceChange", toBinary(PlanResourceChange_RequestSchema, create(PlanResourceChange_RequestSchema, planRequest)));
    const answer = fromBinary(PlanResourceChange_ResponseSchema, bytes);
    expect(answer.diagnostics.map((d) => [d.severity, d.summary])).toEqual([[1, "Unexpected error in PlanResourceChange"]]);
    expect(answer.diagnostics[0].detail).toContain("wire bug");
  });

  it("a response without a diagnostics field (StopProvider) is a gRPC error, still not a crash", async () => {
    await expect(call("StopProvider", toBinary(StopProvider_RequestSchema, create(StopProvider_RequestSchema, {})))).rejects.toMatchObject({
      code: grpc.status.INTERNAL,
    });
    const again = await call("PlanResourceChange", toBinary(PlanResourceChange_RequestSchema, create(PlanResourceChange_RequestSchema, planRequest)));
    expect(fromBinary(PlanResourceChange_ResponseSchema, again).diagnostics).toHaveLength(1);
  });
});
