import { BatchedLines } from "../../../gateway/local/batched-lines";

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
