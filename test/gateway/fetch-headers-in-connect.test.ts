// connect-node's client with gateway/fetch-headers.ts injected for the global Headers (as scripts/build.mjs builds the
// provider bundle) against the same script built without it: the headers sent on the wire, the answer's headers
// and trailers, and a failure's metadata must be the same, and the injected build must never load node's undici.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildSync } from "esbuild";

const root = resolve(__dirname, "../..");

/** One process: a node:http server answering as a Gateway would, and connect calls against it; prints a transcript. */
const SCRIPT = `
import { createServer } from "node:http";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { UsersGateway } from "./gen/agynio/api/gateway/v1/users_gateway_pb";

const entries = (headers) => [...headers].filter(([name]) => name !== "date" && name !== "keep-alive");
const transcript = { wire: [], calls: [] };
const server = createServer((req, res) => {
  transcript.wire.push({ url: req.url, headers: Object.entries(req.headers).filter(([name]) => name !== "host" && name !== "connection").sort() });
  if (req.url.endsWith("/GetMe")) {
    res.writeHead(200, [
      "Content-Type", "application/proto", "X-Multi", "a", "x-multi", " b ", "Set-Cookie", "s=1", "set-cookie", "t=2",
      "Trailer-X-Detail", "v1", "trailer-x-detail", "v2", "Retry-After", "3",
    ]);
    res.end();
  } else {
    res.writeHead(503, ["Content-Type", "application/json", "Retry-After", "7", "X-Multi", "c", "Trailer-Y", "z"]);
    res.end(JSON.stringify({ code: "unavailable", message: "busy", details: [] }));
  }
});
server.listen(0, "127.0.0.1", async () => {
  const seen = (next) => async (req) => {
    req.header.set("User-Agent", "test-agent");
    req.header.append("Authorization", "Bearer  x ");
    req.header.append("x-many", "1");
    req.header.append("X-Many", "2");
    const res = await next(req);
    transcript.calls.push({ request: entries(req.header), header: entries(res.header), trailer: entries(res.trailer) });
    return res;
  };
  const transport = createConnectTransport({
    baseUrl: "http://127.0.0.1:" + server.address().port,
    httpVersion: "1.1",
    useBinaryFormat: true,
    interceptors: [seen],
  });
  const client = createClient(UsersGateway, transport);
  await client.getMe({}, { headers: { "X-Call": "one", "x-call-2": "two" } });
  try {
    await client.listAPITokens({}, { headers: [["x-pair", "p"], ["X-Pair", "q"]] });
  } catch (error) {
    const failure = ConnectError.from(error);
    transcript.calls.push({ code: Code[failure.code], message: failure.rawMessage, metadata: entries(failure.metadata) });
  }
  server.close();
  transcript.undiciLoaded = process.moduleLoadList.some((name) => name.includes("undici"));
  process.stdout.write(JSON.stringify(transcript));
});
`;

function run(withShim: boolean): { wire: unknown; calls: unknown; undiciLoaded: boolean } {
  const dir = mkdtempSync(join(tmpdir(), "agyn-headers-"));
  try {
    const outfile = join(dir, "script.js");
    buildSync({
      stdin: { contents: SCRIPT, resolveDir: root, loader: "ts" },
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      outfile,
      logLevel: "silent",
      inject: withShim ? [join(root, "gateway/fetch-headers.ts")] : [],
    });
    const child = spawnSync(process.execPath, [outfile], { encoding: "utf8", timeout: 30_000 });
    if (child.status !== 0) throw new Error(`the script failed (${child.status}): ${child.stderr}`);
    return JSON.parse(child.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

it("gives connect-node the same headers, trailers and error metadata as node's Headers, without loading undici", () => {
  const native = run(false);
  const shimmed = run(true);
  expect(native.undiciLoaded).toBe(true); // the script does reach node's Headers without the shim
  expect(shimmed.undiciLoaded).toBe(false);
  expect(shimmed.wire).toEqual(native.wire);
  expect(shimmed.calls).toEqual(native.calls);
  // The transcript holds what the comparison is about.
  expect(JSON.stringify(native.calls)).toContain("trailer");
  expect(JSON.stringify(native.calls)).toContain("retry-after");
});
