// Shared by the resource "agyn_api_token" acceptance tests (api-token-*.test.ts): the configuration, a work
// directory that keeps every human-readable terraform output so each test can prove no minted token leaked
// into it, Gateway-side checks through the real client, and an audit of token inserts/revokes in the local
// Gateway's database. No token is ever written to a .tf file: the provider's token travels in
// TF_VAR_agyn_api_token and minted ones are read back from sensitive outputs.
import Database from "better-sqlite3";
import { tokenPrefix } from "../../gateway/token-format";
import type { MintOptions, TestGateway } from "../support/local-gateway";
import { type RunResult, type StateResource, type TerraformBinary, TerraformWorkdir, type WorkdirOptions } from "../support/terraform";
import { type WireGatewayClient, wireGatewayClient } from "../support/wire-gateway-client";
export { providerConfiguration as tokenConfig } from "../support/terraform";

/**
 * resource "agyn_api_token" "<name>" with the given attribute lines, its id and its secret as outputs
 * (`<name>_id`, `<name>_token`, the latter sensitive).
 */
export function tokenResource(name: string, attributes: string, options: { createBeforeDestroy?: boolean } = {}): string {
  const lifecycle = options.createBeforeDestroy ? "\n  lifecycle {\n    create_before_destroy = true\n  }" : "";
  return `
resource "agyn_api_token" "${name}" {
  ${attributes.trim().split("\n").join("\n  ")}${lifecycle}
}
output "${name}_id" {
  value = agyn_api_token.${name}.id
}
output "${name}_token" {
  value     = agyn_api_token.${name}.token
  sensitive = true
}
`;
}

/** Commands whose output a person reads (and a CI log keeps): none of them may ever show a secret. */
const HUMAN_COMMANDS = new Set(["plan", "apply", "destroy", "import", "refresh", "state", "validate"]);
const TOKEN_SHAPED = /agyn_[0-9A-Za-z]{44}/;

/** A TerraformWorkdir that remembers every human-readable run and every secret the test learned. */
export class TokenWorkdir extends TerraformWorkdir {
  private readonly humanRuns: { args: string[]; result: RunResult }[] = [];
  private readonly secrets = new Set<string>();

  constructor(tf: TerraformBinary, baseEnv: Record<string, string> = {}, options: WorkdirOptions = {}) {
    super(tf, baseEnv, options);
  }

  override async run(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
    const result = await super.run(args, env);
    if (HUMAN_COMMANDS.has(args[0])) this.humanRuns.push({ args, result });
    return result;
  }

  /** Registers a secret the outputs of this work directory must never contain; returns it. */
  secret(token: string): string {
    expect(token).toMatch(/^agyn_[0-9A-Za-z]{44}$/);
    this.secrets.add(token);
    return token;
  }

  /** How many human-readable runs were checked (so a test can prove the check saw something). */
  get humanRunCount(): number {
    return this.humanRuns.length;
  }

  /** Fails when any plan/apply/destroy/import/... output, trace logs included, shows a secret or a part of one. */
  expectNoSecretLeaks(): void {
    for (const { args, result } of this.humanRuns) {
      const text = result.stdout + result.stderr;
      for (const secret of this.secrets) {
        // The whole token, or the part of it after the public 8-character prefix.
        for (const needle of [secret, secret.slice(8, 30), secret.slice(30)]) {
          if (text.includes(needle)) {
            throw new Error(`terraform ${args.join(" ")} printed (part of) a secret token (prefix ${tokenPrefix(secret)})`);
          }
        }
      }
      if (TOKEN_SHAPED.test(text)) throw new Error(`terraform ${args.join(" ")} printed something token-shaped`);
    }
  }

  async output(name: string, env: Record<string, string> = {}): Promise<unknown> {
    const outputs = await this.outputs(env);
    if (!(name in outputs)) throw new Error(`no output ${name}; have ${Object.keys(outputs).join(", ")}`);
    return outputs[name].value;
  }

  /** The minted token (sensitive output `<name>_token`, registered as a secret) and its id (`<name>_id`). */
  async minted(name: string): Promise<{ token: string; id: string }> {
    const outputs = await this.outputs();
    expect(outputs[`${name}_token`]?.sensitive).toBe(true);
    const id = String(outputs[`${name}_id`]?.value);
    expect(id).toMatch(UUID);
    return { token: this.secret(String(outputs[`${name}_token`].value)), id };
  }

  /** The resource's values from `terraform show -json` (no refresh). */
  async resource(address: string): Promise<Record<string, unknown>> {
    const found = await this.findResource(address);
    if (!found) throw new Error(`${address} is not in the state`);
    return found.values;
  }

  async findResource(address: string): Promise<StateResource | undefined> {
    const state = await this.state();
    return state.values?.root_module?.resources?.find((r) => r.address === address);
  }

  async importId(address: string, id: string, env: Record<string, string>): Promise<RunResult> {
    return this.run(["import", "-input=false", "-no-color", address, id], env);
  }
}

/** Mints a token on the local Gateway as the Console would; the caller registers it as a secret. */
export function mint(gateway: TestGateway, work: TokenWorkdir, options: MintOptions): string {
  return work.secret(gateway.mintToken(options));
}

/** Runs fn with a Gateway client authenticated by token, and closes it. */
export async function withClient<T>(gateway: TestGateway, token: string, fn: (c: WireGatewayClient) => Promise<T>): Promise<T> {
  const client = wireGatewayClient({ baseUrl: gateway.url, token });
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

/** The identity id the token authenticates as (GetMe); fails if the Gateway rejects it. */
export async function identityOf(gateway: TestGateway, token: string): Promise<string> {
  const me = await withClient(gateway, token, (c) => c.getMe());
  const id = me.user?.meta?.id;
  if (!id) throw new Error("GetMe returned no identity id");
  return id;
}

export async function expectRejected(gateway: TestGateway, token: string): Promise<void> {
  await withClient(gateway, token, async (c) => {
    await expect(c.getMe()).rejects.toMatchObject({ name: "GatewayError", code: "unauthenticated" });
  });
}

/** The caller's tokens as ListAPITokens shows them: id → name. */
export async function listedTokens(gateway: TestGateway, token: string): Promise<Map<string, string>> {
  const { tokens } = await withClient(gateway, token, (c) => c.listApiTokens());
  return new Map(tokens.map((t) => [t.id, t.name]));
}

/**
 * Records, in order, every token row the local Gateway inserts (CreateAPIToken, mint-token) and deletes
 * (RevokeAPIToken) — SQLite triggers on the Gateway's own database, so the order is the Gateway's.
 */
export interface TokenAudit {
  events(): { seq: number; op: "create" | "revoke"; id: string }[];
  close(): void;
}

export function installTokenAudit(dbPath: string): TokenAudit {
  const db = new Database(dbPath);
  db.pragma("busy_timeout = 5000");
  db.exec(`
    CREATE TABLE IF NOT EXISTS acceptance_token_audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, op TEXT NOT NULL, id TEXT NOT NULL);
    CREATE TRIGGER IF NOT EXISTS acceptance_token_created AFTER INSERT ON api_tokens
      BEGIN INSERT INTO acceptance_token_audit (op, id) VALUES ('create', NEW.id); END;
    CREATE TRIGGER IF NOT EXISTS acceptance_token_revoked AFTER DELETE ON api_tokens
      BEGIN INSERT INTO acceptance_token_audit (op, id) VALUES ('revoke', OLD.id); END;
  `);
  return {
    events: () =>
      db.prepare("SELECT seq, op, id FROM acceptance_token_audit ORDER BY seq").all() as {
        seq: number;
        op: "create" | "revoke";
        id: string;
      }[],
    close: () => db.close(),
  };
}

/** Whole seconds, RFC 3339 in UTC: what a person would write in expires_at. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/** Environment for a plan/apply that the provider runs at a different "now" (testing-only seam). */
export function atClock(ms: number): Record<string, string> {
  return { TF_ACC: "1", AGYN_PROVIDER_TEST_NOW: rfc3339(ms) };
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Terraform wraps diagnostic details at ~78 columns: compare prose with whitespace collapsed. */
export function flat(text: string): string {
  return text.replace(/\s+/g, " ");
}

/** Exit code (for plan, -detailed-exitcode: 0 no changes, 1 error, 2 changes); a mismatch shows the output. */
export function expectExit(r: RunResult, code: 0 | 1 | 2, what = "terraform"): void {
  if (r.code !== code) throw new Error(`${what}: expected exit ${code}, got ${r.code}:\n${r.stdout}\n${r.stderr}`);
}

/**
 * A fresh TokenWorkdir for every test of the enclosing describe, on the given protocol; after each test it is
 * checked for leaked secrets and removed. `use` receives each new one (tests keep it in a `let`).
 */
export function useTokenWorkdir(tf: TerraformBinary, protocol: number, use: (work: TokenWorkdir) => void): void {
  let current: TokenWorkdir | undefined;
  beforeEach(() => {
    current = new TokenWorkdir(tf, { AGYN_PROVIDER_PROTOCOL: String(protocol) });
    use(current);
  });
  afterEach(() => {
    try {
      current?.expectNoSecretLeaks();
    } finally {
      current?.cleanup();
    }
  });
}
