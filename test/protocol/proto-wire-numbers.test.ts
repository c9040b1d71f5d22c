// Guards the wire contract of the hand-written .proto files: field numbers, names and method paths that
// Terraform and go-plugin depend on, and every agyn Gateway message field for field as the platform defines it
// (/work/shared/reference/agyn-gateway.md). A mistake here is silent on the wire (wrong field decoded), so pin it.
import { create, toBinary, ScalarType, type DescField, type DescMessage, type DescService } from "@bufbuild/protobuf";
import * as v5 from "../../gen/tfplugin5/tfplugin5_pb";
import * as v6 from "../../gen/tfplugin6/tfplugin6_pb";
import { GRPCController } from "../../gen/plugin/grpc_controller_pb";
import { Health, HealthCheckResponse_ServingStatus } from "../../gen/grpc/health/v1/health_pb";
import { UsersGateway } from "../../gen/agynio/api/gateway/v1/users_gateway_pb";
import { file_agynio_api_users_v1_users } from "../../gen/agynio/api/users/v1/users_pb";

function fieldNumber(message: DescMessage, protoName: string): number {
  const field = message.fields.find((f) => f.name === protoName);
  if (field === undefined) throw new Error(`${message.typeName} has no field ${protoName}`);
  return field.number;
}

/** One line per field, in declaration order: "<number> [optional |repeated ]<type> <name>". */
function fieldTable(message: DescMessage): string[] {
  return message.fields.map((f) => `${f.number} ${fieldType(f)} ${f.name}`);
}

function fieldType(f: DescField): string {
  const scalar = (t: ScalarType) => ScalarType[t].toLowerCase();
  switch (f.fieldKind) {
    case "scalar":
      return `${f.proto.proto3Optional ? "optional " : ""}${scalar(f.scalar)}`;
    case "enum":
      return `${f.proto.proto3Optional ? "optional " : ""}${f.enum.typeName}`;
    case "message":
      return f.message.typeName;
    case "list":
      return `repeated ${f.listKind === "scalar" ? scalar(f.scalar) : f.listKind === "enum" ? f.enum.typeName : f.message.typeName}`;
    case "map":
      return `map<${scalar(f.mapKey)}, ${f.mapKind === "scalar" ? scalar(f.scalar) : f.mapKind === "enum" ? f.enum.typeName : f.message.typeName}>`;
  }
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
      expect(fieldTable(schema)).toEqual(["1 string Error"]);
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
    expect(fieldTable(v6.ValidateProviderConfig_ResponseSchema)).toEqual(["2 repeated tfplugin6.Diagnostic diagnostics"]);
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

// The platform's agynio.api.users.v1 messages as agyn-gateway.md lists them: number, type and name of every field.
// A field the platform does not have, or one at another number, fails here (UpdateMeRequest once carried
// photo_url at 2 and username at 3, so a real client's username would have been stored as a photo URL).
const USERS = "agynio.api.users.v1";
const USER = `${USERS}.User`;
const TIMESTAMP = "google.protobuf.Timestamp";
const CLUSTER_ROLE = `${USERS}.ClusterRole`;
const PLATFORM_MESSAGES: Record<string, string[]> = {
  EntityMeta: ["1 string id", `2 ${TIMESTAMP} created_at`, `3 ${TIMESTAMP} updated_at`],
  User: [
    `1 ${USERS}.EntityMeta meta`,
    "2 string oidc_subject",
    "3 string name",
    "4 string email",
    "5 string photo_url",
    "6 string nickname",
    "7 string username",
  ],
  UserDirectoryEntry: ["1 string identity_id", "2 string username", "3 string name", "4 string photo_url"],
  APIToken: [
    "1 string id",
    "2 string identity_id",
    "3 string name",
    "4 string token_prefix",
    `5 ${TIMESTAMP} expires_at`,
    `6 ${TIMESTAMP} created_at`,
    `7 ${TIMESTAMP} last_used_at`,
  ],
  GetMeRequest: [],
  GetMeResponse: [`1 ${USER} user`, `2 ${CLUSTER_ROLE} cluster_role`],
  UpdateMeRequest: ["1 optional string name", "2 optional string username"],
  UpdateMeResponse: [`1 ${USER} user`, `2 ${CLUSTER_ROLE} cluster_role`],
  SearchUsersRequest: ["1 string prefix", "2 int32 limit"],
  SearchUsersResponse: [`1 repeated ${USERS}.UserDirectoryEntry users`],
  CreateUserRequest: [
    "1 string oidc_subject",
    "2 optional string name",
    "3 optional string nickname",
    "4 optional string photo_url",
    `5 ${CLUSTER_ROLE} cluster_role`,
    "6 optional string username",
  ],
  CreateUserResponse: [`1 ${USER} user`],
  GetUserRequest: ["1 string identity_id"],
  GetUserResponse: [`1 ${USER} user`, `2 ${CLUSTER_ROLE} cluster_role`],
  ListUsersRequest: ["1 int32 page_size", "2 string page_token"],
  ListUsersResponse: [`1 repeated ${USER} users`, "2 string next_page_token"],
  UpdateUserRequest: [
    "1 string identity_id",
    "2 optional string name",
    "3 optional string email",
    "4 optional string photo_url",
    "5 optional string nickname",
    `6 optional ${CLUSTER_ROLE} cluster_role`,
    "7 optional string username",
  ],
  UpdateUserResponse: [`1 ${USER} user`],
  DeleteUserRequest: ["1 string identity_id"],
  DeleteUserResponse: [],
  BatchGetUsersRequest: ["1 repeated string identity_ids"],
  BatchGetUsersResponse: [`1 repeated ${USER} users`],
  CreateAPITokenRequest: ["1 string name", `2 ${TIMESTAMP} expires_at`],
  CreateAPITokenResponse: [`1 ${USERS}.APIToken token`, "2 string plaintext_token"],
  ListAPITokensRequest: [],
  ListAPITokensResponse: [`1 repeated ${USERS}.APIToken tokens`],
  RevokeAPITokenRequest: ["1 string token_id"],
  RevokeAPITokenResponse: [],
};

describe("agyn Gateway messages match the platform field for field", () => {
  const generated = new Map(file_agynio_api_users_v1_users.messages.map((m) => [m.name, m]));

  it("declares exactly the platform's messages, no more", () => {
    expect([...generated.keys()].sort()).toEqual(Object.keys(PLATFORM_MESSAGES).sort());
  });

  it.each(Object.entries(PLATFORM_MESSAGES))("%s", (name, fields) => {
    const message = generated.get(name);
    if (!message) throw new Error(`${USERS}.${name} is missing from proto/`);
    expect(fieldTable(message)).toEqual(fields);
  });

  it("numbers ClusterRole as the platform does", () => {
    const [clusterRole] = file_agynio_api_users_v1_users.enums;
    expect(clusterRole.typeName).toBe(CLUSTER_ROLE);
    expect(clusterRole.values.map((v) => `${v.number} ${v.name}`)).toEqual(["0 CLUSTER_ROLE_UNSPECIFIED", "1 CLUSTER_ROLE_ADMIN"]);
    expect(file_agynio_api_users_v1_users.enums).toHaveLength(1);
  });

  it("serves agynio.api.gateway.v1.UsersGateway with the platform's request and response types", () => {
    expect(UsersGateway.typeName).toBe("agynio.api.gateway.v1.UsersGateway");
    expect(UsersGateway.methods.map((m) => `${m.name}(${m.input.typeName}) ${m.output.typeName} ${m.methodKind}`)).toEqual(
      [
        "GetMe", "UpdateMe", "SearchUsers", "CreateUser", "GetUser", "ListUsers", "UpdateUser", "DeleteUser",
        "CreateAPIToken", "ListAPITokens", "RevokeAPIToken", "BatchGetUsers",
      ].map((m) => `${m}(${USERS}.${m}Request) ${USERS}.${m}Response unary`),
    );
  });
});
