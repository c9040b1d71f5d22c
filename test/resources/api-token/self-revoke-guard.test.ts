import { generateApiToken, tokenPrefix } from "../../../gateway/token-format";
import { selfRevokeProblem } from "../../../resources/api-token/self-revoke-guard";
import { error } from "../../../schema/diagnostics";
import { AgynSession } from "../../../resources/configuration/session";

const fakeClient = {};
const ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

function state(token: string | null, prefix: string, allow: boolean | null = null) {
  return { id: ID, token, token_prefix: prefix, allow_self_revoke: allow };
}

describe("selfRevokeProblem", () => {
  let own: string;
  let session: AgynSession;

  beforeEach(() => {
    own = generateApiToken();
    session = new AgynSession(fakeClient as never, "https://gw.example.com", own);
  });

  it("refuses to revoke the very token the provider authenticates with", () => {
    const problem = selfRevokeProblem(state(own, tokenPrefix(own)), session);
    expect(problem).toBeDefined();
    expect(problem!.severity).toBe("error");
    expect(problem!.summary).toBe("Refusing to revoke the provider's own token");
    expect(problem!.detail).toContain(ID);
    expect(problem!.detail).toContain("allow_self_revoke = true");
    expect(JSON.stringify(problem)).not.toContain(own);
  });

  it("a different token is fine, even with the same 8-character prefix", () => {
    expect(selfRevokeProblem(state(generateApiToken(), "agyn_xyz"), session)).toBeUndefined();
    const sameprefix = own.slice(0, 8) + generateApiToken().slice(8);
    expect(sameprefix).not.toBe(own);
    expect(selfRevokeProblem(state(sameprefix, tokenPrefix(sameprefix)), session)).toBeUndefined();
  });

  it("an imported token (secret unknown) whose prefix matches is refused, with a hint", () => {
    const problem = selfRevokeProblem(state(null, tokenPrefix(own)), session);
    expect(problem).toEqual(error("Refusing to revoke what may be the provider's own token", expect.any(String) as unknown as string));
    expect(problem!.detail).toContain(`its prefix ${tokenPrefix(own)} matches`);
    expect(problem!.detail).toContain("If it is a different token, set allow_self_revoke = true on this resource; otherwise configure");
    expect(problem!.detail).not.toContain("if this is intended");
  });

  it("an imported token with a different prefix is fine", () => {
    expect(selfRevokeProblem(state(null, "agyn_000"), session)).toBeUndefined();
  });

  it("allow_self_revoke = true permits it, whether by hash or by prefix", () => {
    expect(selfRevokeProblem(state(own, tokenPrefix(own), true), session)).toBeUndefined();
    expect(selfRevokeProblem(state(null, tokenPrefix(own), true), session)).toBeUndefined();
  });

  it("allow_self_revoke = false or null still refuses", () => {
    expect(selfRevokeProblem(state(own, tokenPrefix(own), false), session)).toBeDefined();
    expect(selfRevokeProblem(state(own, tokenPrefix(own), null), session)).toBeDefined();
  });

  it("without a session (no configured token) it never refuses", () => {
    expect(selfRevokeProblem(state(own, tokenPrefix(own)), undefined)).toBeUndefined();
    expect(selfRevokeProblem(state(null, tokenPrefix(own)), undefined)).toBeUndefined();
  });

  it("the session keeps only the hash and the public prefix of its token", () => {
    expect(session.configuredTokenPrefix).toBe(own.slice(0, 8));
    expect(session.configuredTokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(session)).not.toContain(own);
    expect(session.gatewayUrl).toBe("https://gw.example.com");
  });
});

describe("selfRevokeProblem for a replacement", () => {
  it("refuses to replace the provider's own token, and offers the ways out that revoke nothing", () => {
    const own = generateApiToken();
    const session = new AgynSession(fakeClient as never, "https://gw.example.com", own);
    const problem = selfRevokeProblem(state(own, tokenPrefix(own)), session, "replace");
    expect(problem?.summary).toBe("Refusing to replace the provider's own token");
    expect(problem?.detail).toContain("allow_self_revoke = true");
    expect(problem?.detail).toContain("terraform state rm");
    expect(problem?.detail).toContain("removed { from = <address> lifecycle { destroy = false } }");
    expect(selfRevokeProblem(state(own, tokenPrefix(own)), session)?.detail).toContain("terraform state rm");
  });
});
