// The Gateway's wire surface as any Connect client sees it — generated messages, every field as sent —
// for tests of the local Gateway itself. (The provider's own client, gateway/client.ts, speaks in records.)
// Failures become GatewayErrors, so expectGatewayFailure() reads the same for both clients.
import { type MessageInitShape, create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type Interceptor, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import * as http from "node:http";
import { toGatewayError } from "../../gateway/gateway-failure";
import { UsersGateway } from "../../gen/agynio/api/gateway/v1/users_gateway_pb";
import {
  type CreateUserRequestSchema,
  type ListUsersRequestSchema,
  type UpdateUserRequestSchema,
  type User,
  UserSchema,
} from "../../gen/agynio/api/users/v1/users_pb";

export type WireGatewayClient = ReturnType<typeof wireGatewayClient>;

export function wireGatewayClient(options: { baseUrl: string; token?: string; userAgent?: string }) {
  const agent = new http.Agent({ keepAlive: true });
  const headers: Interceptor = (next) => async (req) => {
    req.header.set("User-Agent", options.userAgent ?? "agyn-wire-tests");
    if (options.token) req.header.set("Authorization", `Bearer ${options.token}`);
    return next(req);
  };
  const rpc = createClient(UsersGateway, createConnectTransport({
    baseUrl: options.baseUrl, httpVersion: "1.1", useBinaryFormat: true, nodeOptions: { agent }, interceptors: [headers],
  }));
  const host = new URL(options.baseUrl).host;
  const call = async <T>(operation: string, invoke: () => Promise<T>): Promise<T> => {
    try {
      return await invoke();
    } catch (error) {
      throw toGatewayError(operation, error, { baseUrl: options.baseUrl, host, timeoutMs: 0, redact: (t) => t });
    }
  };
  const client = {
    getMe: () => call("GetMe", () => rpc.getMe({})),
    updateMe: (input: { name?: string; username?: string }) => call("UpdateMe", () => rpc.updateMe(input)),
    createApiToken: (input: { name: string; expiresAt?: Date }) =>
      call("CreateAPIToken", () => rpc.createAPIToken({ name: input.name, expiresAt: input.expiresAt ? timestampFromDate(input.expiresAt) : undefined })),
    listApiTokens: () => call("ListAPITokens", () => rpc.listAPITokens({})),
    revokeApiToken: async (tokenId: string) => void (await call("RevokeAPIToken", () => rpc.revokeAPIToken({ tokenId }))),
    getUser: (identityId: string) => call("GetUser", () => rpc.getUser({ identityId })),
    createUser: (input: MessageInitShape<typeof CreateUserRequestSchema>) => call("CreateUser", () => rpc.createUser(input)),
    updateUser: (input: MessageInitShape<typeof UpdateUserRequestSchema>) => call("UpdateUser", () => rpc.updateUser(input)),
    deleteUser: async (identityId: string) => void (await call("DeleteUser", () => rpc.deleteUser({ identityId }))),
    listUsers: (input: MessageInitShape<typeof ListUsersRequestSchema> = {}) => call("ListUsers", () => rpc.listUsers(input)),
    async listAllUsers(pageSize?: number): Promise<User[]> {
      const users: User[] = [];
      let pageToken = "";
      do {
        const page = await client.listUsers({ pageSize, pageToken });
        users.push(...page.users.map((u) => create(UserSchema, u)));
        pageToken = page.nextPageToken;
      } while (pageToken !== "");
      return users;
    },
    searchUsers: async (prefix: string, limit: number) => (await call("SearchUsers", () => rpc.searchUsers({ prefix, limit }))).users,
    batchGetUsers: async (identityIds: string[]) => (await call("BatchGetUsers", () => rpc.batchGetUsers({ identityIds }))).users,
    close: () => agent.destroy(),
  };
  return client;
}
