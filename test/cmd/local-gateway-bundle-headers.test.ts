// The built local Gateway (dist/local-gateway.js, as `npm run build` makes it) answers with connect's headers from
// gateway/fetch-headers.ts, injected at build time: serving calls must never load node's undici, whose WebIDL
// checks were about a tenth of every request's CPU. The same build gives connect gateway/local/abort-controller.ts
// for its per-call signals, so these calls also run through that.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";

const bundle = resolve(__dirname, "../../dist/local-gateway.js");
let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "agyn-gateway-headers-"));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it("serves GetMe, its error answers included, without loading node's undici", async () => {
  const db = join(scratch, "gateway.db");
  const token = execFileSync(process.execPath, [bundle, "mint-token", "--db", db, "--subject", "headers"], { encoding: "utf8" }).trim();
  const report = join(scratch, "modules.json");
  const reporter = join(scratch, "report-modules.js");
  writeFileSync(reporter, `process.on("exit", () => require("fs").writeFileSync(${JSON.stringify(report)}, JSON.stringify(process.moduleLoadList)));\n`);
  const child = spawn(process.execPath, ["--require", reporter, bundle, "serve", "--db", db, "--port", "0"], { stdio: ["ignore", "pipe", "ignore"] });
  const exited = new Promise<number | null>((done) => child.once("exit", done));
  try {
    const url = await new Promise<string>((done) => createInterface({ input: child.stdout }).once("line", done));
    const call = (authorization: string) => fetch(`${url}/agynio.api.gateway.v1.UsersGateway/GetMe`, {
      method: "POST",
      headers: { "content-type": "application/json", "connect-protocol-version": "1", authorization },
      body: "{}",
    });
    const ok = await call(`Bearer ${token}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("application/json");
    expect(await ok.json()).toHaveProperty("user");
    const refused = await call("Bearer not-a-token");
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: "unauthenticated" });
  } finally {
    child.kill("SIGTERM");
  }
  expect(await exited).toBe(0);
  const modules = JSON.parse(readFileSync(report, "utf8")) as string[];
  expect(modules.some((name) => name.includes("undici"))).toBe(false);
  // The check can see undici when it is there: the same run's module list names what serving did load.
  expect(modules.some((name) => name.includes("http"))).toBe(true);
});
