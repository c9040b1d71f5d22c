// Which usernames a failed lookup suggests: near misses and extensions, closest first, at most five.
import { editDistance, shorterPrefix, similarUsernames } from "../../../resources/user-data-source/similar-usernames";

describe("similarUsernames", () => {
  const users = (...names: string[]) => names.map((username) => ({ username, name: null }));

  it("ranks typos and extensions by edit distance, then alphabetically, five at most", () => {
    expect(similarUsernames("alice", users("alise", "alice-2", "bob", "alicia", "alce", "al", "alice-bot", "alice-ci")))
      .toEqual(['"alce"', '"alise"', '"alice-2"', '"alicia"', '"al"']);
  });

  it("names the display name when there is one, and skips users without a username and duplicates", () => {
    expect(similarUsernames("grace", [{ username: "gracie", name: "Grace H." }, { username: null, name: "No Handle" }, { username: "gracie", name: "Grace H." }]))
      .toEqual(['"gracie" (Grace H.)']);
  });

  it("suggests nothing far away", () => {
    expect(similarUsernames("zed", users("alice", "bob"))).toEqual([]);
  });
});

describe("shorterPrefix and editDistance", () => {
  it("searches at most the first three characters, and nothing for one character", () => {
    expect(shorterPrefix("gracie")).toBe("gra");
    expect(shorterPrefix("ab")).toBe("a");
    expect(shorterPrefix("a")).toBeUndefined();
  });

  it("counts insertions, deletions and substitutions", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
  });
});
