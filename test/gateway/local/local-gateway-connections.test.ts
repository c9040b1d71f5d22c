// The local Gateway's connections: an idle keep-alive connection stays usable for a minute, as behind the load
// balancers in front of real Gateways. With Node's default (5 s), a client that reuses its connection after a
// pause (a slow terraform run, an event loop held up by a disk sync) met a reset instead of an answer.
import * as net from "node:net";
import * as tls from "node:tls";
import { createPrivateCa } from "../../support/certificates";
import { type TestGateway, startTestGateway } from "../../support/local-gateway";

const ca = createPrivateCa();
let plain: TestGateway;
let secure: TestGateway;
let token: string;

beforeAll(async () => {
  [plain, secure] = await Promise.all([startTestGateway(), startTestGateway({ tls: ca.issueServerCertificate() })]);
  token = plain.mintToken({ subject: "oidc|keep-alive" });
});

afterAll(async () => {
  await Promise.all([plain?.close(), secure?.close()]);
});

/** One raw HTTP/1.1 connection: it never notices a close by itself, so reuse after one is a failed request. */
function connection(socket: net.Socket) {
  let received = "";
  let waiting: { resolve: (statusLine: string) => void; reject: (error: Error) => void } | undefined;
  const settle = () => {
    // A whole answer: the head, then as many bytes as its Content-Length says.
    const head = received.indexOf("\r\n\r\n");
    const length = /\r\ncontent-length: (\d+)/i.exec(received)?.[1];
    if (waiting && head >= 0 && length !== undefined && Buffer.byteLength(received.slice(head + 4)) >= Number(length)) {
      waiting.resolve(received.split("\r\n")[0]);
      waiting = undefined;
    }
  };
  socket.setEncoding("utf8").on("data", (d: string) => {
    received += d;
    settle();
  });
  socket.on("error", () => undefined);
  socket.once("close", () => waiting?.reject(new Error("the Gateway closed the connection")));
  return {
    /** Sends GetMe and resolves with the answer's status line, or rejects when the connection is gone. */
    getMe(bearer: string): Promise<string> {
      received = "";
      const body = "{}";
      const answer = new Promise<string>((resolve, reject) => (waiting = { resolve, reject }));
      if (socket.destroyed) waiting?.reject(new Error("the Gateway closed the connection"));
      socket.write(
        `POST /agynio.api.gateway.v1.UsersGateway/GetMe HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n` +
          `Authorization: Bearer ${bearer}\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
      return answer;
    },
    end: () => socket.destroy(),
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test.each([
  ["plain HTTP/1.1", () => plain, (port: number) => net.connect(port, "127.0.0.1")],
  ["HTTP/1.1 over TLS", () => secure, (port: number) => tls.connect({ port, host: "127.0.0.1", ca: ca.certPem, ALPNProtocols: ["http/1.1"] })],
])("%s: an idle keep-alive connection still answers after 6 s", async (_what, gateway, connect) => {
  const bearer = gateway() === plain ? token : gateway().mintToken({ subject: "oidc|keep-alive-tls" });
  const conn = connection(connect(Number(new URL(gateway().url).port)));
  try {
    expect(await conn.getMe(bearer)).toBe("HTTP/1.1 200 OK");
    await pause(6000);
    expect(await conn.getMe(bearer)).toBe("HTTP/1.1 200 OK");
  } finally {
    conn.end();
  }
});
