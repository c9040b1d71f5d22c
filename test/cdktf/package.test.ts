// The published package, not the checkout: `npm pack`, then in a fresh directory outside the repository install
// the tarball with cdktf, cdktn and constructs (from the npm cache: the tarballs `npm ci` fetched), type-check a
// user's stacks under strict + nodenext with libraries checked (and under cdktf's template's node10
// resolution), run them as CommonJS and synthesize with no terraform on PATH.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { repoRoot } from "../support/terraform";
import { FRAMEWORKS, packageVersion, run, synthesize, tsc } from "./cdk-support";

const installed = (pkg: string): string =>
  JSON.parse(readFileSync(join(repoRoot, "node_modules", pkg, "package.json"), "utf8")).version;

/**
 * The registry tarball URL of a package the repository has installed. `npm ci` fetched exactly these (the lock file
 * leaves out `resolved`, so npm builds the same URL from the registry setting), so npm finds them in the
 * cache; a plain `name@version` would need the registry's package document, which `npm ci` does not cache.
 */
function cachedTarball(registry: string, pkg: string): string {
  const basename = pkg.split("/").pop();
  return `${registry.replace(/\/?$/, "/")}${pkg}/-/${basename}-${installed(pkg)}.tgz`;
}

/** npm as a user runs it: none of the outer `npm test`'s project settings (local prefix, package fields). */
function npmEnv(): NodeJS.ProcessEnv {
  const keep = new Set(["npm_config_cache", "npm_config_userconfig", "npm_config_globalconfig", "npm_config_cafile", "npm_config_registry"]);
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith("npm_") || keep.has(k.toLowerCase())));
}

/** A user's stack using every namespace of the bindings; `fw` is the framework's module and the entry point. */
function userStack(fw: string): string {
  return `import { App, TerraformOutput, TerraformStack } from "${fw}";
import { Construct } from "constructs";
import { apiToken, dataAgynApiTokens, dataAgynUser, provider, user } from "terraform-provider-agyn/${fw}";

class Tokens extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new provider.AgynProvider(this, "agyn", { gateway: "https://gateway.agyn.example.com" });
    const me = new dataAgynUser.DataAgynUser(this, "me", {});
    const ci = new apiToken.ApiToken(this, "ci", {
      description: \`ci for \${me.username}\`,
      expiresIn: "720h",
      lifecycle: { createBeforeDestroy: true },
    });
    new dataAgynApiTokens.DataAgynApiTokens(this, "live_ci", { descriptionPrefix: "ci", expired: false });
    new user.User(this, "bot", { oidcSubject: "svc:bot", name: "Bot", clusterRole: "none" });
    new TerraformOutput(this, "ci_token", { value: ci.token, sensitive: true });
    // @ts-expect-error the bindings are typed: a description is a string
    new apiToken.ApiToken(this, "typed", { description: 42 });
  }
}

const app = new App();
new Tokens(app, "tokens");
app.synth();
`;
}

const tsconfig = (module: "nodenext" | "commonjs") =>
  JSON.stringify({
    compilerOptions: {
      target: "ES2022",
      module,
      moduleResolution: module === "nodenext" ? "nodenext" : "node10",
      lib: ["ES2022"],
      types: [],
      strict: true,
      skipLibCheck: false,
      outDir: "build",
      ...(module === "commonjs" ? { noEmit: true } : {}),
    },
    include: ["*.ts"],
  });

describe("npm pack: the package a user installs", () => {
  let packDir: string;
  let userDir: string;
  let tarball: string;

  beforeAll(() => {
    packDir = mkdtempSync(join(tmpdir(), "agyn-pack-"));
    userDir = mkdtempSync(join(tmpdir(), "agyn-cdk-user-"));
    // --ignore-scripts: the suite has built dist/ already, and prepack's rebuild would rewrite the bundles under
    // the other tests' feet.
    run("npm", ["pack", "--ignore-scripts", "--pack-destination", packDir], { cwd: repoRoot, env: npmEnv() });
    const [file] = readdirSync(packDir).filter((f) => f.endsWith(".tgz"));
    tarball = join(packDir, file);
  });
  afterAll(() => {
    rmSync(packDir, { recursive: true, force: true });
    rmSync(userDir, { recursive: true, force: true });
  });

  it("holds the compiled bindings for both frameworks", () => {
    const files = run("tar", ["-tzf", tarball], { cwd: packDir }).trim().split("\n").sort();
    for (const fw of ["cdktf", "cdktn"]) {
      for (const ns of ["index", "provider/index", "api-token/index", "user/index", "data-agyn-user/index", "data-agyn-api-tokens/index"]) {
        expect(files).toContain(`package/dist/bindings/${fw}/${ns}.js`);
        expect(files).toContain(`package/dist/bindings/${fw}/${ns}.d.ts`);
      }
    }
    // Compiled output only: no TypeScript sources, no build stamp.
    expect(files.filter((f) => f.startsWith("package/dist/bindings/") && !/\.(js|d\.ts)$/.test(f))).toEqual([]);
  });

  it("installs outside the checkout, type-checks a user's stacks strictly and synthesizes them as CommonJS", () => {
    expect(relative(repoRoot, userDir).startsWith("..")).toBe(true);
    writeFileSync(join(userDir, "package.json"), JSON.stringify({ name: "agyn-user-stacks", version: "1.0.0", private: true }));
    const registry = run("npm", ["config", "get", "registry"], { cwd: userDir, env: npmEnv() }).trim();
    const frameworks = ["cdktf", "cdktn", "constructs"].map((pkg) => cachedTarball(registry, pkg));
    // --ignore-scripts: the bindings need none, and better-sqlite3 (a dependency of the package's local Gateway)
    // would compile its addon for minutes.
    run("npm", ["install", "--prefer-offline", "--ignore-scripts", "--no-audit", "--no-fund", tarball, ...frameworks], {
      cwd: userDir,
      env: npmEnv(),
    });
    for (const fw of FRAMEWORKS) writeFileSync(join(userDir, `${fw.name}.ts`), userStack(fw.name));
    // TypeScript resolves every import from the user's directory; only the compiler comes from the repository.
    writeFileSync(join(userDir, "tsconfig.json"), tsconfig("nodenext"));
    tsc(["-p", userDir], userDir);
    // cdktf's project template resolves modules the older way (node10): typesVersions serves it.
    writeFileSync(join(userDir, "tsconfig.node10.json"), tsconfig("commonjs"));
    tsc(["-p", join(userDir, "tsconfig.node10.json")], userDir);

    for (const fw of FRAMEWORKS) {
      const js = readFileSync(join(userDir, "build", `${fw.name}.js`), "utf8");
      expect(js).toContain(`require("terraform-provider-agyn/${fw.name}")`);
      const out = synthesize(join(userDir, "build", `${fw.name}.js`), userDir, join(userDir, `${fw.name}.out`));
      const stack = out.stacks.tokens;
      expect(stack.terraform.required_providers).toEqual({ agyn: { source: "agynio/agyn", version: packageVersion } });
      expect(Object.keys(stack.resource ?? {}).sort()).toEqual(["agyn_api_token", "agyn_user"]);
      expect(Object.keys(stack.resource?.agyn_api_token ?? {}).sort()).toEqual(["ci", "typed"]);
      expect(Object.keys(stack.data ?? {}).sort()).toEqual(["agyn_api_tokens", "agyn_user"]);
      expect(stack.resource?.agyn_api_token.ci).toMatchObject({
        description: "ci for ${data.agyn_user.me.username}",
        expires_in: "720h",
      });
      expect(stack.output?.ci_token).toEqual({ value: "${agyn_api_token.ci.token}", sensitive: true });
    }
  });
});
