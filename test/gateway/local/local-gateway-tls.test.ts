// The local Gateway over TLS: HTTP/2 and HTTP/1.1 chosen by ALPN, Connect and gRPC, and a client that does not
// trust the certificate never gets as far as sending a request (so never its token).
import * as http2 from "node:http2";
import * as https from "node:https";
import type { TLSSocket } from "node:tls";
import { Code, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import type { GatewayClient } from "../../../gateway/client";
import { UsersGateway } from "../../../gen/agynio/api/gateway/v1/users_gateway_pb";
import { ClusterRole } from "../../../gen/agynio/api/users/v1/users_pb";
import { createPrivateCa, expiredYesterday } from "../../support/certificates";
import { testGatewayClient } from "../../support/gateway-client";
import { expectGatewayFailure } from "../../support/gateway-failures";
import { type TestGateway, startTestGateway } from "../../support/local-gateway";

const GET_ME = "/agynio.api.gateway.v1.UsersGateway/GetMe";
const ca = createPrivateCa();
let gw: TestGateway;
let token: string;
const clients: GatewayClient[] = [];

beforeAll(async () => {
  gw = await startTestGateway({ tls: ca.issueServerCertificate() });
  token = gw.mintToken({ subject: "oidc|tls", name: "Tess Tls", admin: true });
});

afterAll(async () => {
  for (const client of clients) client.close();
  await gw.close();
});

function providerClient(baseUrl: string, caPem?: string): GatewayClient {
  const client = testGatewayClient({ baseUrl, token, caPem });
  clients.push(client);
  return client;
}

/** Lines for RPCs (not TLS connections) the Gateway logged. */
function rpcLines(log: readonly string[]): string[] {
  return log.filter((line) => !line.startsWith("TLS "));
}

const REFUSED_CONNECTION = /^TLS (handshake failed: the client closed the connection|connection closed before any request) \(does the client trust this certificate, for this host name\?\)$/;

test("serves https on 127.0.0.1", () => {
  expect(gw.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
});

test("HTTP/2 when the client offers h2 (Connect JSON)", async () => {
  const session = http2.connect(gw.url, { ca: ca.certPem });
  try {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const stream = session.request({
        ":method": "POST",
        ":path": GET_ME,
        "content-type": "application/json",
        authorization: `Bearer ${token}`,
      });
      let status = 0;
      let body = "";
      stream.on("response", (headers) => (status = Number(headers[":status"])));
      stream.setEncoding("utf8").on("data", (d: string) => (body += d));
      stream.on("end", () => resolve({ status, body }));
      stream.on("error", reject);
      stream.end("{}");
    });
    expect((session.socket as TLSSocket).alpnProtocol).toBe("h2");
    expect(status).toBe(200);
    expect(JSON.parse(body)).toMatchObject({ user: { name: "Tess Tls" }, clusterRole: "CLUSTER_ROLE_ADMIN" });
  } finally {
    session.close();
  }
});

test.each([
  ["offers http/1.1", ["http/1.1"], "http/1.1"],
  ["offers no ALPN at all (like the provider's client)", undefined, false],
])("HTTP/1.1 when the client %s", async (_what, ALPNProtocols, negotiated) => {
  const { status, alpn } = await new Promise<{ status: number; alpn: string | false | null }>((resolve, reject) => {
    const req = https.request(`${gw.url}${GET_ME}`, {
      method: "POST",
      ca: ca.certPem,
      agent: false,
      // Passed through to tls.connect; not in https.RequestOptions' type.
      ...({ ALPNProtocols } as object),
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode!, alpn: (res.socket as TLSSocket).alpnProtocol }));
    });
    req.on("error", reject);
    req.end("{}");
  });
  expect(alpn).toBe(negotiated);
  expect(status).toBe(200);
});

test("gRPC (HTTP/2) works, and its errors carry the codes they were logged with", async () => {
  const grpc = createClient(
    UsersGateway,
    createGrpcTransport({
      baseUrl: gw.url,
      nodeOptions: { ca: ca.certPem },
      interceptors: [(next) => (req) => (req.header.set("Authorization", `Bearer ${token}`), next(req))],
    }),
  );
  expect((await grpc.getMe({})).clusterRole).toBe(ClusterRole.ADMIN);
  const stranger = createClient(
    UsersGateway,
    createGrpcTransport({
      baseUrl: gw.url,
      nodeOptions: { ca: ca.certPem },
      interceptors: [(next) => (req) => (req.header.set("Authorization", "Bearer not-a-token"), next(req))],
    }),
  );
  await expect(stranger.getMe({})).rejects.toMatchObject({ code: Code.Unauthenticated, rawMessage: "invalid api token" });
  await expect(grpc.createAPIToken({ name: "" })).rejects.toMatchObject({ rawMessage: "name must be provided" });
  const log = await gw.logFrom(0, /^CreateAPIToken /);
  expect(log).toContainEqual(expect.stringMatching(/^GetMe ok \d+ms user-agent="connect-es\//));
  expect(log).toContainEqual(expect.stringMatching(/^GetMe unauthenticated \d+ms/));
  expect(log).toContainEqual(expect.stringMatching(/^CreateAPIToken invalid_argument \d+ms/));
});

test("a malformed gRPC message is invalid_argument, in the trailers and in the log", async () => {
  const session = http2.connect(gw.url, { ca: ca.certPem });
  try {
    const trailers = await new Promise<http2.IncomingHttpHeaders>((resolve, reject) => {
      const stream = session.request({
        ":method": "POST",
        ":path": "/agynio.api.gateway.v1.UsersGateway/ListAPITokens",
        "content-type": "application/grpc",
        te: "trailers",
        authorization: `Bearer ${token}`,
      });
      stream.on("trailers", resolve);
      stream.on("error", reject);
      stream.resume();
      // One uncompressed message of one byte: field 1 with the invalid wire type 7.
      stream.end(Buffer.from([0x00, 0x00, 0x00, 0x00, 0x01, 0x0f]));
    });
    expect(trailers["grpc-status"]).toBe("3");
    expect((await gw.logFrom(0, /^ListAPITokens /)).filter((l) => l.startsWith("ListAPITokens "))).toEqual([
      expect.stringMatching(/^ListAPITokens invalid_argument \d+ms/),
    ]);
  } finally {
    session.close();
  }
});

describe("a client that does not trust the certificate sends nothing", () => {
  test("the provider's client: refused without the CA, trusted with it", async () => {
    const before = gw.requestLog().length;
    const refused = await expectGatewayFailure(providerClient(gw.url).getMe(), "unavailable");
    expect(refused.gatewayMessage).toMatch(/certificate/);
    // The handshake failed, and no request (so no Authorization header) reached the Gateway.
    expect(rpcLines(await gw.logFrom(before, REFUSED_CONNECTION))).toEqual([]);
    await expect(providerClient(gw.url, ca.certPem).getMe()).resolves.toMatchObject({ clusterRole: "admin" });
    expect(rpcLines(await gw.logFrom(before, /^GetMe ok/))).toEqual([expect.stringMatching(/^GetMe ok/)]);
  });

  test.each([
    ["names another host", { dnsNames: ["gateway.example.test"], ipAddresses: [] }],
    ["has expired", expiredYesterday()],
  ])("a certificate that %s is refused even with the CA", async (_what, options) => {
    const other = await startTestGateway({ tls: ca.issueServerCertificate(options) });
    try {
      const otherToken = other.mintToken({ subject: "oidc|tls-other" });
      const client = testGatewayClient({ baseUrl: other.url, token: otherToken, caPem: ca.certPem });
      clients.push(client);
      await expectGatewayFailure(client.getMe(), "unavailable");
      expect(rpcLines(await other.logFrom(0, REFUSED_CONNECTION))).toEqual([]);
    } finally {
      await other.close();
    }
  });
});

test("close() does not wait for open HTTP/2 sessions", async () => {
  const other = await startTestGateway({ tls: ca.issueServerCertificate() });
  const session = http2.connect(other.url, { ca: ca.certPem });
  await new Promise<void>((resolve, reject) => session.once("connect", () => resolve()).once("error", reject));
  session.on("error", () => undefined);
  const closed = new Promise((resolve) => session.once("close", resolve));
  await other.close();
  await closed;
});
