// An esbuild plugin for the provider bundle: the @bufbuild/protobuf a launch evaluates before its first answer,
// without google/protobuf/descriptor.proto. The runtime's entry points evaluate everything they re-export: the
// package index its JSON code, which imports every well-known type; `codegenv2` its fileDesc(), which decodes with
// descriptor.proto's own descriptor; `wkt` that descriptor. Booting it (a registry of descriptor.proto's 30-odd
// messages, built by code V8 has not optimised yet) was the largest piece of a launch before its handshake.
// So our own files (not connect's, which loads after Configure) get those entry points without what needs
// descriptor.proto, and the runtime's timestamp.proto is read from gen/, written as literals by `npm run generate`.
// An import of something left out fails the build; test/cmd/terraform-provider-agyn-startup-imports.test.ts
// fails when descriptor.proto is reachable before the first answer again.
"use strict";
const { readFileSync } = require("node:fs");
const { dirname, join, relative, sep } = require("node:path");

/** Per entry point of the package, the modules it re-exports that must not load at launch (they need descriptor.proto). */
const LEFT_OUT = {
  // JSON (to-json, from-json) and equals() import the well-known types' index.
  "index.js": ["./to-json.js", "./from-json.js", "./equals.js"],
  // boot() and fileDesc() are the descriptor decoding itself; embed() encodes descriptors with it.
  "codegenv2/index.js": ["./boot.js", "./embed.js", "./file.js"],
};
/** `@bufbuild/protobuf/wkt` at launch: Timestamp and its helpers only. */
const WKT_AT_LAUNCH = ["./timestamp.js", "./google/protobuf/timestamp_pb.js"];

/** @param {string} root the repository, whose node_modules and gen/ are used */
function protobufAtLaunch(root) {
  const runtime = join(dirname(require.resolve("@bufbuild/protobuf", { paths: [root] })), "..", "esm");
  const timestampLiteral = join(root, "gen/google/protobuf/timestamp_pb.ts");

  /** The entry point's source without its re-exports of LEFT_OUT[entry] (each is one line in the runtime's index). */
  function withoutModules(entry) {
    const leftOut = LEFT_OUT[entry];
    const source = readFileSync(join(runtime, entry), "utf8");
    const lines = source.split("\n");
    const kept = lines.filter((line) => !leftOut.some((module) => line.includes(`"${module}"`)));
    if (lines.length - kept.length !== leftOut.length) {
      throw new Error(`protobuf-at-launch: @bufbuild/protobuf's ${entry} no longer re-exports ${leftOut.join(", ")} one per line`);
    }
    return kept.join("\n");
  }

  const entries = {
    "@bufbuild/protobuf": { dir: runtime, contents: () => withoutModules("index.js") },
    "@bufbuild/protobuf/codegenv2": { dir: join(runtime, "codegenv2"), contents: () => withoutModules("codegenv2/index.js") },
    "@bufbuild/protobuf/wkt": { dir: join(runtime, "wkt"), contents: () => WKT_AT_LAUNCH.map((module) => `export * from "${module}";`).join("\n") },
  };

  return {
    name: "protobuf-at-launch",
    setup(build) {
      build.onResolve({ filter: /^@bufbuild\/protobuf(\/codegenv2|\/wkt)?$/ }, (args) => {
        // Only our own files: the repository's, outside its node_modules (which may itself sit in a node_modules).
        const inRepository = relative(root, args.importer);
        if (inRepository.startsWith(`..${sep}`) || inRepository.split(sep)[0] === "node_modules") return undefined;
        return { path: args.path, namespace: "protobuf-at-launch" };
      });
      build.onLoad({ filter: /.*/, namespace: "protobuf-at-launch" }, (args) => {
        const entry = entries[args.path];
        return { contents: entry.contents(), resolveDir: entry.dir, loader: "js" };
      });
      // One Timestamp descriptor in the bundle, built from literals, whoever imports it (connect's full wkt index too).
      build.onResolve({ filter: /[\\/]timestamp_pb\.js$/ }, (args) =>
        args.resolveDir === join(runtime, "wkt", "google", "protobuf") || args.resolveDir === join(runtime, "wkt")
          ? { path: timestampLiteral }
          : undefined);
    },
  };
}

module.exports = { protobufAtLaunch };
