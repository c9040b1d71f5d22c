// The local Gateway bundle's AbortController (gateway/local/abort-controller.ts) against node's own, side by side:
// each scenario runs on both and must leave the same transcript.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { transformSync } from "esbuild";
import * as light from "../../../gateway/local/abort-controller";

interface Controllers {
  readonly name: string;
  make(): { readonly signal: LooseSignal; abort(reason?: unknown): void };
}

interface LooseSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: string, listener: unknown, options?: unknown): void;
  removeEventListener(type: string, listener: unknown): void;
  throwIfAborted(): void;
}

const nodes: Controllers = { name: "node's", make: () => new globalThis.AbortController() as never };
const ours: Controllers = { name: "the bundle's", make: () => new light.AbortController() };

type Scenario = (c: Controllers, log: string[]) => void;

const scenarios: Record<string, Scenario> = {
  "listeners run once, in the order added, with the signal as this and an abort event": (c, log) => {
    const controller = c.make();
    for (const name of ["a", "b", "c"]) {
      controller.signal.addEventListener("abort", function (this: unknown, event: { type: string; target: unknown }) {
        log.push(`${name} this=${this === controller.signal} type=${event.type} target=${event.target === controller.signal}`);
      });
    }
    log.push(`before ${controller.signal.aborted}`);
    controller.abort();
    controller.abort();
    log.push(`after ${controller.signal.aborted}`);
  },
  "a listener added twice is called once, and other event types are not called": (c, log) => {
    const controller = c.make();
    const listener = () => log.push("abort");
    controller.signal.addEventListener("abort", listener);
    controller.signal.addEventListener("abort", listener);
    controller.signal.addEventListener("other", () => log.push("other"));
    controller.abort("why");
    log.push(`reason ${String(controller.signal.reason)}`);
  },
  "a removed listener, also one removed by an earlier listener during the dispatch, is not called": (c, log) => {
    const controller = c.make();
    const late = () => log.push("late");
    const gone = () => log.push("gone");
    controller.signal.addEventListener("abort", gone);
    controller.signal.removeEventListener("abort", gone);
    controller.signal.addEventListener("abort", () => {
      log.push("first");
      controller.signal.removeEventListener("abort", late);
      controller.signal.addEventListener("abort", () => log.push("added during dispatch"));
    });
    controller.signal.addEventListener("abort", late);
    controller.abort();
  },
  "an object with handleEvent is a listener too": (c, log) => {
    const controller = c.make();
    controller.signal.addEventListener("abort", { handleEvent: (event: { type: string }) => log.push(`handled ${event.type}`) });
    controller.abort();
  },
  "the default reason is an AbortError DOMException; a given reason is kept as it is": (c, log) => {
    const plain = c.make();
    plain.abort();
    const reason = plain.signal.reason as DOMException;
    log.push(`${reason instanceof DOMException} ${reason.name} ${reason.message} same=${plain.signal.reason === reason}`);
    const given = c.make();
    const why = new Error("why");
    given.abort(why);
    log.push(`given ${given.signal.reason === why}`);
    try {
      given.signal.throwIfAborted();
    } catch (err) {
      log.push(`thrown ${err === why}`);
    }
    const live = c.make();
    live.signal.throwIfAborted();
    log.push(`live reason ${String(live.signal.reason)}`);
  },
  "listeners added after the abort are never called": (c, log) => {
    const controller = c.make();
    controller.abort();
    controller.signal.addEventListener("abort", () => log.push("late listener"));
    controller.abort();
    log.push("done");
  },
};

describe.each(Object.entries(scenarios))("%s", (_name, scenario) => {
  it("behaves as node's AbortController does", () => {
    const expected: string[] = [];
    const actual: string[] = [];
    scenario(nodes, expected);
    scenario(ours, actual);
    expect(expected.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });
});

// Uncaught exceptions are the test runner's own business inside jest, so this one runs in a child node.
it("reports a listener's exception as uncaught after the other listeners ran, as node's does", () => {
  const dir = mkdtempSync(join(tmpdir(), "agyn-abort-"));
  try {
    const source = readFileSync(resolve(__dirname, "../../../gateway/local/abort-controller.ts"), "utf8");
    writeFileSync(join(dir, "abort-controller.js"), transformSync(source, { loader: "ts", format: "cjs", target: "node20" }).code);
    writeFileSync(join(dir, "main.js"), `
      const light = require("./abort-controller.js");
      const log = [];
      process.on("uncaughtException", (err) => log.push("uncaught " + err.message));
      for (const [name, Controller] of [["node", AbortController], ["ours", light.AbortController]]) {
        const controller = new Controller();
        controller.signal.addEventListener("abort", () => { throw new Error(name + " boom"); });
        controller.signal.addEventListener("abort", () => log.push(name + " second ran"));
        controller.abort();
        log.push(name + " abort returned");
      }
      setTimeout(() => console.log(JSON.stringify(log)), 50);
    `);
    const log = JSON.parse(execFileSync(process.execPath, [join(dir, "main.js")], { encoding: "utf8" })) as string[];
    const of = (name: string) => log.filter((line) => line.includes(name)).map((line) => line.replace(name, "X"));
    expect(of("node")).toEqual(["X second ran", "X abort returned", "uncaught X boom"]);
    expect(of("ours")).toEqual(of("node"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
