import { BatchedLines, WRITE_MAX_BYTES } from "../../../gateway/local/batched-lines";

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

test("lines added in one turn are written together, in order, each ending in a newline", async () => {
  const writes: string[] = [];
  const lines = new BatchedLines((text) => writes.push(text));
  lines.add("first");
  lines.add("second");
  expect(writes).toEqual([]);
  await nextTurn();
  expect(writes).toEqual(["first\nsecond\n"]);
  lines.add("third");
  await nextTurn();
  await nextTurn();
  expect(writes).toEqual(["first\nsecond\n", "third\n"]);
});

test("flush writes what waits at once, and nothing when nothing waits", async () => {
  const writes: string[] = [];
  const lines = new BatchedLines((text) => writes.push(text));
  lines.flush();
  lines.add("before shutdown");
  lines.flush();
  expect(writes).toEqual(["before shutdown\n"]);
  await nextTurn();
  expect(writes).toEqual(["before shutdown\n"]);
});

test("each write holds whole lines and at most WRITE_MAX_BYTES, so writers sharing a pipe never mix their lines", () => {
  const writes: string[] = [];
  const lines = new BatchedLines((text) => writes.push(text));
  // 100 lines of about 300 bytes, some with multi-byte characters: about 30 KB in one turn.
  const added = Array.from({ length: 100 }, (_, i) => `GetMe ok 1ms user-agent="${i % 3 === 0 ? "é€".repeat(60) : "x".repeat(280)}" #${i}`);
  for (const line of added) lines.add(line);
  lines.flush();
  expect(writes.length).toBeGreaterThan(1);
  for (const text of writes) {
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(WRITE_MAX_BYTES);
    expect(text.endsWith("\n")).toBe(true);
  }
  expect(writes.join("")).toBe(added.map((line) => `${line}\n`).join(""));
});

test("a line too long for one write is cut, at a character, to fit with its newline", () => {
  const writes: string[] = [];
  const lines = new BatchedLines((text) => writes.push(text));
  lines.add("before");
  lines.add(`GetMe ok 1ms user-agent="${"€".repeat(5000)}"`);
  lines.add("after");
  lines.flush();
  expect(writes.map((text) => Buffer.byteLength(text) <= WRITE_MAX_BYTES)).toEqual(writes.map(() => true));
  const written = writes.join("").split("\n");
  expect(written).toHaveLength(4);
  expect(written[0]).toBe("before");
  expect(written[1]).toMatch(/^GetMe ok 1ms user-agent="€+ …\(cut\)$/);
  expect(Buffer.byteLength(`${written[1]}\n`)).toBeGreaterThan(WRITE_MAX_BYTES - 4);
  expect(written[2]).toBe("after");
});
