// `terraform-provider-agyn install [--dir DIR]`: puts the single executable for this machine where Terraform
// finds it without a registry — the implied local mirror ~/.terraform.d/plugins (%APPDATA%\terraform.d\plugins
// on Windows) or DIR — and prints the provider_installation block that names it.
//
// What is copied: run as the single executable, the executable itself (process.execPath). Run through node
// (a checkout or the npm package), process.execPath is node, so the executable is taken out of this build's
// release archive (dist/release/terraform-provider-agyn_<version>_<os>_<arch>.zip). Either way the package
// directory then holds exactly what the Registry's zip holds, so its hash is the one in the lock file.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { PROVIDER_VERSION } from "../resources/provider-identity";
import {
  MIRROR_PROVIDER_PATH,
  archiveName,
  executableName,
  isReleasePlatform,
  terraformPlatform,
  type ReleasePlatform,
} from "./platforms";
import { readZip } from "./zip-archive";

export interface InstallContext {
  readonly version: string;
  readonly platform: NodeJS.Platform;
  readonly arch: string;
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
  /** True when running as the single executable (node:sea isSea()). */
  readonly runningAsExecutable: boolean;
  readonly execPath: string;
  /** Where dist/release/ is looked for when running through node. */
  readonly packageRoot: string;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export const INSTALL_USAGE = `Usage: terraform-provider-agyn install [--dir DIR]

Installs this provider's executable for this machine into a Terraform filesystem mirror:
  DIR/registry.terraform.io/agynio/agyn/<version>/<os>_<arch>/
DIR defaults to Terraform's implied local mirror, ~/.terraform.d/plugins (%APPDATA%\\terraform.d\\plugins
on Windows). Prints the provider_installation block for your Terraform CLI configuration.
`;

export function runInstallCommand(argv: readonly string[], context: InstallContext = defaultContext()): number {
  const parsed = parseArguments(argv);
  if ("help" in parsed) {
    context.out(INSTALL_USAGE);
    return 0;
  }
  if ("problem" in parsed) {
    context.err(`terraform-provider-agyn install: ${parsed.problem}\n\n${INSTALL_USAGE}`);
    return 2;
  }
  const platform = terraformPlatform(context.platform, context.arch);
  if (!isReleasePlatform(platform)) {
    context.err(`terraform-provider-agyn install: no release is built for ${platform}\n`);
    return 1;
  }
  const implied = parsed.dir === undefined;
  const mirror = resolve(parsed.dir ?? impliedMirror(context));
  const source = executableBytes(context, platform);
  if ("problem" in source) {
    context.err(`terraform-provider-agyn install: ${source.problem}\n`);
    return 1;
  }
  const packageDir = join(mirror, ...MIRROR_PROVIDER_PATH, context.version, platform);
  const target = join(packageDir, executableName(context.version, platform));
  const unchanged = existsSync(target) && readdirSync(packageDir).length === 1 && readFileSync(target).equals(source.bytes);
  if (!unchanged) replacePackageDirectory(packageDir, target, source.bytes);
  context.out(
    `${unchanged ? "Already installed" : "Installed"}: terraform-provider-agyn ${context.version} (${platform}, from ${source.from})\n` +
      `  ${target}\n\n` +
      instructions(context, mirror, implied),
  );
  return 0;
}

function parseArguments(argv: readonly string[]): { dir?: string } | { help: true } | { problem: string } {
  let dir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") return { help: true };
    if (arg === "--dir") {
      const value = argv[++i];
      if (!value) return { problem: "--dir needs a directory" };
      dir = value;
    } else if (arg.startsWith("--dir=")) {
      dir = arg.slice("--dir=".length);
      if (!dir) return { problem: "--dir needs a directory" };
    } else {
      return { problem: `unknown argument "${arg}"` };
    }
  }
  return { dir };
}

function impliedMirror(context: InstallContext): string {
  if (context.platform === "win32") return join(context.env.APPDATA ?? join(context.home, "AppData", "Roaming"), "terraform.d", "plugins");
  return join(context.home, ".terraform.d", "plugins");
}

function executableBytes(context: InstallContext, platform: ReleasePlatform): { bytes: Buffer; from: string } | { problem: string } {
  if (context.runningAsExecutable) return { bytes: readFileSync(context.execPath), from: context.execPath };
  const archive = join(context.packageRoot, "dist", "release", archiveName(context.version, platform));
  if (!existsSync(archive)) {
    const zip = archiveName(context.version, platform);
    return {
      problem:
        `install places the single executable for ${platform}, and run through Node.js it takes it from this build's ` +
        `release archive, which is not here (${archive}). Download ${zip} from the release, unzip it and run ` +
        `\`./${executableName(context.version, platform)} install\`; or, in a checkout, build it first with \`npm run release\`.`,
    };
  }
  const name = executableName(context.version, platform);
  const entry = readZip(readFileSync(archive)).find((e) => e.name === name);
  if (!entry) return { problem: `${archive} holds no ${name}` };
  return { bytes: entry.data, from: archive };
}

/**
 * Terraform hashes every file in the package directory, so it must hold the executable and nothing else.
 * The new directory is assembled beside the old one and swapped in, so a failure leaves the old one intact.
 */
function replacePackageDirectory(packageDir: string, target: string, bytes: Buffer): void {
  const staging = `${packageDir}.installing-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, target.slice(packageDir.length + 1)), bytes, { mode: 0o755 });
  const old = `${packageDir}.old-${process.pid}`;
  if (existsSync(packageDir)) renameSync(packageDir, old);
  renameSync(staging, packageDir);
  rmSync(old, { recursive: true, force: true });
}

function instructions(context: InstallContext, mirror: string, implied: boolean): string {
  const address = MIRROR_PROVIDER_PATH.join("/");
  const cliConfig = context.platform === "win32" ? "%APPDATA%\\terraform.rc" : "~/.terraformrc";
  const block =
    "provider_installation {\n" +
    "  filesystem_mirror {\n" +
    `    path    = ${hclString(mirror)}\n` +
    `    include = ["${address}"]\n` +
    "  }\n" +
    "  direct {\n" +
    `    exclude = ["${address}"]\n` +
    "  }\n" +
    "}\n";
  const where = implied
    ? "Terraform looks there by itself as long as your CLI configuration has no provider_installation block.\n" +
      `If it has one (${cliConfig} or the file TF_CLI_CONFIG_FILE names), add a filesystem_mirror like this:\n\n`
    : `Tell Terraform about the mirror in your CLI configuration (${cliConfig} or the file TF_CLI_CONFIG_FILE names):\n\n`;
  return (
    where +
    block +
    "\nand require the provider in your configuration, then run terraform init:\n\n" +
    "terraform {\n" +
    "  required_providers {\n" +
    `    agyn = { source = "agynio/agyn", version = "${context.version}" }\n` +
    "  }\n" +
    "}\n"
  );
}

/** A quoted string for the CLI configuration (HCL 1: escapes, but no templates, so "${" stays as it is). */
function hclString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

function defaultContext(): InstallContext {
  return {
    version: PROVIDER_VERSION,
    platform: process.platform,
    arch: process.arch,
    env: process.env,
    home: homedir(),
    runningAsExecutable: runningAsSingleExecutable(),
    execPath: process.execPath,
    // The bundle is dist/provider.js and this file is release/install-command.ts: either way one level down.
    packageRoot: resolve(__dirname, ".."),
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  };
}

/** node:sea exists from Node 20.12; older Node cannot be a single executable of ours anyway. */
export function runningAsSingleExecutable(): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded here, so Node < 20.12 only answers false
    return (require("node:sea") as { isSea(): boolean }).isSea();
  } catch {
    return false;
  }
}
