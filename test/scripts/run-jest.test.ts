// How `npm test` runs jest (scripts/run-jest.mjs): jest's own output, then one summary line — and no mention
// of a report file that no longer exists once the run is over.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const runJestModule = resolve(__dirname, "../../scripts/run-jest.mjs");

it("ends with the counts, and names no file it does not leave behind", () => {
  const dir = mkdtempSync(join(tmpdir(), "agyn-run-jest-"));
  try {
    writeFileSync(join(dir, "jest.config.js"), 'module.exports = { testEnvironment: "node" };\n');
    writeFileSync(join(dir, "sample.test.js"),
      'it("passes", () => expect(1).toBe(1));\nit("fails", () => expect(1).toBe(2));\nit.skip("is skipped", () => undefined);\n');
    const r = spawnSync(process.execPath, ["--input-type=module", "-e",
      `import { runJest } from ${JSON.stringify(runJestModule)}; process.exit(runJest([], { cwd: ${JSON.stringify(dir)} }));`], { encoding: "utf8" });
    const output = r.stdout + r.stderr;
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("tests: 1 passed, 1 failed, 1 skipped");
    expect(output).not.toMatch(/written to/i);
    // Every absolute path the run mentions still exists afterwards.
    const paths = [...output.matchAll(/(?:^|[\s"'(])(\/[^\s"'():]+)/g)].map((m) => m[1]);
    expect(paths.filter((p) => !existsSync(p))).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
