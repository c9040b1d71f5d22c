// An import id is user input: the diagnostic quotes it at a bounded length, and a pasted token — whole or
// cut short — never comes back (a truncated agyn_… used to be echoed in full).
import { generateApiToken } from "../../../gateway/token-format";
import { agynCoreWith } from "../../support/agyn-core";

const importing = async (id: string) => {
  const { core } = await agynCoreWith({});
  const r = await core.importResourceState({ typeName: "agyn_api_token", id });
  expect(r.imported).toEqual([]);
  return r.diagnostics.map((d) => `${d.summary}\n${d.detail}`).join("\n");
};

it.each([9, 12, 20, 30, 49])("a token cut to %i characters is not echoed", async (length) => {
  const token = generateApiToken();
  const text = await importing(token.slice(0, length));
  expect(text).toContain("Invalid import id");
  expect(text).not.toContain(token.slice(5, length));
  expect(text).toContain("agyn_…[redacted]");
});

it("a huge id is quoted at a bounded length", async () => {
  const text = await importing("x".repeat(1_000_000));
  expect(text.length).toBeLessThan(500);
  expect(text).toContain("(1000000 characters)");
});
