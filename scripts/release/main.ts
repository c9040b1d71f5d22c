// `npm run release [-- options]`: the single executables, then the Registry-layout release directory.
//   --out DIR            release directory (default dist/release; the default also refreshes dist/mirror)
//   --platform NAME      build only this platform (repeatable; "host" = this machine); default: all five
//   --executables-only   stop after the executables (dist/sea/), no release directory
//   --sea-dir DIR        where the executables are built and kept (default dist/sea)
//   --gpg-key ID         sign SHA256SUMS with this key (default: $GPG_FINGERPRINT); GNUPGHOME picks the keyring
//   --pin-node VERSION   fetch that Node version for every platform and rewrite node-binaries.json, then stop
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { RELEASE_PLATFORMS, isReleasePlatform, terraformPlatform, type ReleasePlatform } from "../../release/platforms";
import { changelogVersion } from "./changelog";
import { pinNodeVersion, readNodePins } from "./node-binaries";
import { writeRelease } from "./registry-artifacts";
import { buildExecutable, runnerFor, type BuiltExecutable } from "./single-executable";

const root = resolve(__dirname, "..");
const pinsFile = join(root, "scripts/release/node-binaries.json");

interface Options {
  outDir: string;
  defaultOut: boolean;
  platforms: ReleasePlatform[];
  executablesOnly: boolean;
  seaDir: string;
  gpgKey?: string;
  pinNode?: string;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { outDir: join(root, "dist/release"), defaultOut: true, platforms: [], executablesOnly: false, seaDir: join(root, "dist/sea"), gpgKey: process.env.GPG_FINGERPRINT || undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (!v) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === "--out") {
      options.outDir = resolve(value());
      options.defaultOut = false;
    } else if (arg === "--platform") {
      const p = value();
      const platform = p === "host" ? terraformPlatform() : p;
      if (!isReleasePlatform(platform)) throw new Error(`unknown platform ${p}; one of ${RELEASE_PLATFORMS.join(", ")} or host`);
      options.platforms.push(platform);
    } else if (arg === "--executables-only") options.executablesOnly = true;
    else if (arg === "--gpg-key") options.gpgKey = value();
    else if (arg === "--sea-dir") options.seaDir = resolve(value());
    else if (arg === "--pin-node") options.pinNode = value();
    else throw new Error(`unknown argument ${arg}`);
  }
  if (options.platforms.length === 0) options.platforms = [...RELEASE_PLATFORMS];
  return options;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.pinNode) {
    writeFileSync(pinsFile, JSON.stringify(pinNodeVersion(readNodePins(pinsFile), options.pinNode), null, 2) + "\n");
    console.log(`pinned Node ${options.pinNode} for ${RELEASE_PLATFORMS.join(", ")} in ${relative(root, pinsFile)}`);
    return;
  }
  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
  if (changelogVersion(readFileSync(join(root, "CHANGELOG.md"), "utf8")) !== version) {
    throw new Error(`CHANGELOG.md's newest entry is not ${version} (package.json's version): describe the release first`);
  }
  const pins = readNodePins(pinsFile);
  const zipTime = process.env.SOURCE_DATE_EPOCH ? new Date(Number(process.env.SOURCE_DATE_EPOCH) * 1000) : new Date(Date.UTC(2000, 0, 1));
  const started = Date.now();
  const builds: BuiltExecutable[] = [];
  for (const platform of options.platforms) {
    if (runnerFor(platform) === undefined && (platform.startsWith("linux_") || platform === terraformPlatform())) {
      console.warn(
        `\n*** ${platform}: its node cannot run here, so this build has NO CODE CACHE (slower start). On Debian: ` +
          "apt-get install qemu-user libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross ***\n",
      );
    }
    const build = await buildExecutable(platform, {
      version,
      bundle: join(root, "dist/provider.js"),
      pins,
      nodeCache: join(root, "dist/cache"),
      seaDir: options.seaDir,
      postjectCli: require.resolve("postject/dist/cli.js", { paths: [root] }),
      toolHash: createHash("sha256").update(readFileSync(__filename)).digest("hex"),
      zipTime,
    });
    builds.push(build);
    console.log(
      `${platform.padEnd(14)} ${build.reused ? "reused" : `built in ${build.seconds.toFixed(1)} s`}; ` +
        `code cache: ${build.codeCache ? "yes" : "no"}; ${build.smokeTest}; ${relative(root, build.executable)}`,
    );
  }
  console.log(`executables (Node ${pins.version}) ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (options.executablesOnly) return;

  const result = writeRelease({
    version,
    outDir: options.outDir,
    builds,
    gpgKey: options.gpgKey,
    mirrorDir: options.defaultOut ? join(root, "dist/mirror") : undefined,
  });
  console.log(`\n${relative(root, options.outDir) || options.outDir}/\n${result.files.map((f) => `  ${f}`).join("\n")}`);
  if (options.defaultOut) console.log(`packed filesystem mirror: dist/mirror/ (the same zips)`);
  if (!result.signed) {
    console.warn(
      "\n*** SHA256SUMS IS NOT SIGNED: no GPG key given (--gpg-key ID or GPG_FINGERPRINT). The Registry needs the " +
        ".sig; a filesystem or network mirror does not. ***\n",
    );
  }
  console.log(`release ${version} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err: unknown) => {
  console.error(`release failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
