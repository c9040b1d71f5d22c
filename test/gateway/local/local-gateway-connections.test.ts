// The local Gateway's connections: an idle keep-alive connection (or HTTP/2 session) stays usable for a minute, as
// behind the load balancers in front of real Gateways, and is closed after that. With Node's defaults, plain
// HTTP/1.1 closed after 5 s, so a client reusing its connection after a pause (a slow terraform run, an event loop
// held up by a disk sync) met a reset instead of an answer; HTTP/1.1 over TLS and HTTP/2 were never closed at all.
import * as http2 from "node:http2";
import * as net from "node:net";
import * as tls from "node:tls";
import { createPrivateCa } from "../../support/certificates";
import { type TestGateway, startTestGateway } from "../../support/local-gateway";

const GET_ME = "/agynio.api.gateway.v1.UsersGateway/GetMe";
const ca = createPrivateCa();
const certificate = ca.issueServerCertificate();

/** One client connection, kept open between requests like a client's keep-alive pool would. */
interface Connection {
  /** Sends GetMe; resolves with the answer's HTTP status, rejects when the connection is gone. */
  getMe(bearer: string): Promise<number>;
  /** Resolves once the Gateway has closed the connection; `goaway` tells whether it said so first (HTTP/2). */
  readonly closed: Promise<{ goaway: boolean }>;
  end(): void;
}

type Kind = "plain HTTP/1.1" | "HTTP/1.1 over TLS" | "HTTP/2";
const KINDS: Kind[] = ["plain HTTP/1.1", "HTTP/1.1 over TLS", "HTTP/2"];

function connect(kind: Kind, gateway: TestGateway): Connection {
  const port = Number(new URL(gateway.url).port);
  if (kind === "HTTP/2") return http2Connection(gateway.url);
  return http1Connection(
    kind === "plain HTTP/1.1"
      ? net.connect(port, "127.0.0.1")
      : tls.connect({ port, host: "127.0.0.1", ca: ca.certPem, ALPNProtocols: ["http/1.1"] }),
  );
}

/** A raw HTTP/1.1 connection: unlike an agent it never replaces a closed socket, so reuse after a close fails. */
function http1Connection(socket: net.Socket): Connection {
  let received = "";
  let waiting: { resolve: (status: number) => void; reject: (error: Error) => void } | undefined;
  const gone = new Error("the Gateway closed the connection");
  socket.setEncoding("utf8").on("data", (data: string) => {
    received += data;
    // A whole answer: the head, then as many bytes as its Content-Length says.
    const head = received.indexOf("\r\n\r\n");
    const length = /\r\ncontent-length: (\d+)/i.exec(received)?.[1];
    if (waiting && head >= 0 && length !== undefined && Buffer.byteLength(received.slice(head + 4)) >= Number(length)) {
      waiting.resolve(Number(received.split(" ", 2)[1]));
      waiting = undefined;
    }
  });
  socket.on("error", () => undefined);
  const closed = new Promise<{ goaway: boolean }>((resolve) =>
    socket.once("close", () => {
      waiting?.reject(gone);
      resolve({ goaway: false });
    }),
  );
  return {
    getMe(bearer) {
      if (socket.destroyed) return Promise.reject(gone);
      received = "";
      const answer = new Promise<number>((resolve, reject) => (waiting = { resolve, reject }));
      socket.write(
        `POST ${GET_ME} HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n` +
          `Authorization: Bearer ${bearer}\r\nContent-Length: 2\r\n\r\n{}`,
      );
      return answer;
    },
    closed,
    end: () => socket.destroy(),
  };
}

/** One HTTP/2 session; every request is a stream on it. */
function http2Connection(url: string): Connection {
  const session = http2.connect(url, { ca: ca.certPem });
  let goaway = false;
  session.on("error", () => undefined);
  session.on("goaway", () => (goaway = true));
  const closed = new Promise<{ goaway: boolean }>((resolve) => session.once("close", () => resolve({ goaway })));
  return {
    getMe(bearer) {
      return new Promise<number>((resolve, reject) => {
        if (session.closed || session.destroyed) return reject(new Error("the Gateway closed the session"));
        const stream = session.request({
          ":method": "POST",
          ":path": GET_ME,
          "content-type": "application/json",
          authorization: `Bearer ${bearer}`,
        });
        let status = 0;
        stream.on("response", (headers) => (status = Number(headers[":status"])));
        stream.on("error", reject);
        stream.resume();
        stream.on("end", () => resolve(status));
        stream.end("{}");
      });
    },
    closed,
    end: () => session.destroy(),
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What `promise` resolves to, or "still pending" when it has not within `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | "still pending"> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<"still pending">((resolve) => (timer = setTimeout(() => resolve("still pending"), ms)));
  try {
    return await Promise.race([promise, expiry]);
  } finally {
    clearTimeout(timer);
  }
}

describe("with the default idle timeout, a connection idle for 6 s (Node's default was 5 s) still answers", () => {
  let plain: TestGateway;
  let secure: TestGateway;
  let token: { plain: string; secure: string };
  const connections = new Map<Kind, Connection>();

  // One pause for every kind of connection, each opened and used once before it.
  beforeAll(async () => {
    [plain, secure] = await Promise.all([startTestGateway(), startTestGateway({ tls: certificate })]);
    token = {
      plain: plain.mintToken({ subject: "oidc|keep-alive" }),
      secure: secure.mintToken({ subject: "oidc|keep-alive-tls" }),
    };
    for (const kind of KINDS) {
      const connection = connect(kind, kind === "plain HTTP/1.1" ? plain : secure);
      connections.set(kind, connection);
      expect(await connection.getMe(kind === "plain HTTP/1.1" ? token.plain : token.secure)).toBe(200);
    }
    await pause(6000);
  });

  afterAll(async () => {
    for (const connection of connections.values()) connection.end();
    await Promise.all([plain?.close(), secure?.close()]);
  });

  test.each(KINDS)("%s", async (kind) => {
    const connection = connections.get(kind)!;
    expect(await connection.getMe(kind === "plain HTTP/1.1" ? token.plain : token.secure)).toBe(200);
  });
});

describe("an idle connection is closed once the idle timeout has passed", () => {
  let plain: TestGateway;
  let secure: TestGateway;

  beforeAll(async () => {
    [plain, secure] = await Promise.all([
      startTestGateway({ idleTimeoutMs: 300 }),
      startTestGateway({ tls: certificate, idleTimeoutMs: 300 }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([plain?.close(), secure?.close()]);
  });

  test.each(KINDS)("%s", async (kind) => {
    const gateway = kind === "plain HTTP/1.1" ? plain : secure;
    const connection = connect(kind, gateway);
    try {
      expect(await connection.getMe(gateway.mintToken({ subject: `oidc|idle-${kind.replace(/\W/g, "")}` }))).toBe(200);
      // Bounded only so that a connection never closed fails here rather than at jest's own timeout.
      const outcome = await within(connection.closed, 20_000);
      // HTTP/2 says so with a GOAWAY first, so a client knows not to start another stream on the session.
      expect(outcome).toEqual({ goaway: kind === "HTTP/2" });
    } finally {
      connection.end();
    }
  });
});
