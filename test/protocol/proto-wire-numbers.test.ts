// Guards the wire contract of the hand-written protocol .proto files: field numbers, names and method paths that
// Terraform and go-plugin depend on. A mistake here is silent on the wire (wrong field decoded), so pin it.
import { create, toBinary, type DescMessage, type DescService } from "@bufbuild/protobuf";
import * as v5 from "../../gen/tfplugin5/tfplugin5_pb";
import * as v6 from "../../gen/tfplugin6/tfplugin6_pb";
import { GRPCController } from "../../gen/plugin/grpc_controller_pb";
import { Health, HealthCheckResponse_ServingStatus } from "../../gen/grpc/health/v1/health_pb";

function fieldNumber(message: DescMessage, protoName: string): number {
  const field = message.fields.find((f) => f.name === protoName);
  if (field === undefined) throw new Error(`${message.typeName} has no field ${protoName}`);
  return field.number;
}

function methodNames(service: DescService): string[] {
  return service.methods.map((m) => m.name);
}

describe("tfplugin5 / tfplugin6 wire numbers", () => {
  it("places write_only at 10 in v5 and 11 in v6, and nested_type at 10 in v6", () => {
    expect(fieldNumber(v5.Schema_AttributeSchema, "write_only")).toBe(10);
    expect(fieldNumber(v6.Schema_AttributeSchema, "write_only")).toBe(11);
    expect(fieldNumber(v6.Schema_AttributeSchema, "nested_type")).toBe(10);
    expect(v5.Schema_AttributeSchema.fields.some((f) => f.name === "nested_type")).toBe(false);
  });

  it("encodes write_only with the expected tag bytes (v5 field 10 = 0x50, v6 field 11 = 0x58)", () => {
    expect([...toBinary(v5.Schema_AttributeSchema, create(v5.Schema_AttributeSchema, { writeOnly: true }))]).toEqual([
      0x50, 0x01,
    ]);
    expect([...toBinary(v6.Schema_AttributeSchema, create(v6.Schema_AttributeSchema, { writeOnly: true }))]).toEqual([
      0x58, 0x01,
    ]);
  });

  it("numbers v6 Schema.Object and its NestingMode", () => {
    expect(fieldNumber(v6.Schema_ObjectSchema, "attributes")).toBe(1);
    expect(fieldNumber(v6.Schema_ObjectSchema, "nesting")).toBe(3);
    expect(fieldNumber(v6.Schema_ObjectSchema, "min_items")).toBe(4);
    expect(fieldNumber(v6.Schema_ObjectSchema, "max_items")).toBe(5);
    expect(v6.Schema_Object_NestingMode.MAP).toBe(4);
    expect(v5.Schema_NestedBlock_NestingMode.GROUP).toBe(5);
  });

  it("keeps the capitalised Error field of Stop / StopProvider", () => {
    for (const schema of [v5.Stop_ResponseSchema, v6.StopProvider_ResponseSchema]) {
      expect(schema.fields.map((f) => [f.name, f.number])).toEqual([["Error", 1]]);
    }
  });

  it("numbers the shared messages identically in v5 and v6", () => {
    for (const p of [v5, v6]) {
      expect(fieldNumber(p.DynamicValueSchema, "msgpack")).toBe(1);
      expect(fieldNumber(p.DynamicValueSchema, "json")).toBe(2);
      expect(fieldNumber(p.DiagnosticSchema, "severity")).toBe(1);
      expect(fieldNumber(p.DiagnosticSchema, "attribute")).toBe(4);
      expect(fieldNumber(p.ClientCapabilitiesSchema, "write_only_attributes_allowed")).toBe(2);
      expect(fieldNumber(p.GetProviderSchema_ResponseSchema, "functions")).toBe(7);
      expect(fieldNumber(p.GetProviderSchema_ResponseSchema, "ephemeral_resource_schemas")).toBe(8);
      expect(fieldNumber(p.OpenEphemeralResource_ResponseSchema, "renew_at")).toBe(2);
      expect(fieldNumber(p.OpenEphemeralResource_ResponseSchema, "private")).toBe(4);
    }
    expect(fieldNumber(v5.PrepareProviderConfig_ResponseSchema, "diagnostics")).toBe(2);
    expect(v6.ValidateProviderConfig_ResponseSchema.fields.map((f) => [f.name, f.number])).toEqual([
      ["diagnostics", 2],
    ]);
  });
});

describe("service names and methods", () => {
  const common = [
    "GetMetadata",
    "UpgradeResourceState",
    "ReadResource",
    "PlanResourceChange",
    "ApplyResourceChange",
    "ImportResourceState",
    "MoveResourceState",
    "ReadDataSource",
    "GetFunctions",
    "CallFunction",
    "ValidateEphemeralResourceConfig",
    "OpenEphemeralResource",
    "RenewEphemeralResource",
    "CloseEphemeralResource",
  ];

  it("tfplugin5.Provider", () => {
    expect(v5.Provider.typeName).toBe("tfplugin5.Provider");
    expect(methodNames(v5.Provider).sort()).toEqual(
      [
        ...common,
        "GetSchema",
        "PrepareProviderConfig",
        "ValidateResourceTypeConfig",
        "ValidateDataSourceConfig",
        "Configure",
        "Stop",
      ].sort(),
    );
  });

  it("tfplugin6.Provider", () => {
    expect(v6.Provider.typeName).toBe("tfplugin6.Provider");
    expect(methodNames(v6.Provider).sort()).toEqual(
      [
        ...common,
        "GetProviderSchema",
        "ValidateProviderConfig",
        "ValidateResourceConfig",
        "ValidateDataResourceConfig",
        "ConfigureProvider",
        "StopProvider",
      ].sort(),
    );
  });

  it("go-plugin controller and gRPC health", () => {
    expect(GRPCController.typeName).toBe("plugin.GRPCController");
    expect(methodNames(GRPCController)).toEqual(["Shutdown"]);
    expect(Health.typeName).toBe("grpc.health.v1.Health");
    expect(methodNames(Health)).toEqual(["Check", "Watch"]);
    expect(Health.method.watch.methodKind).toBe("server_streaming");
    expect(HealthCheckResponse_ServingStatus.SERVICE_UNKNOWN).toBe(3);
  });
});
