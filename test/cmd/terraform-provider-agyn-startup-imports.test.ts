// What a launch evaluates before its handshake: every module the entry point reaches through static imports
// (esbuild hoists them into the bundle's start-up). The Gateway client, zod, YAML, the release code and the
// protocol adapters must stay behind dynamic imports, loaded only when a call needs them: each costs start-up
// time in every one of the several provider processes a Terraform command launches. And the bundle is ASCII,
// so node reads it into a one-byte string and hashes its bytes as they are (cmd/launch-provider.ts). Nor does a
// launch reach, up to its first answer, any @bufbuild/protobuf module that boots google/protobuf/descriptor.proto
// (scripts/build/protobuf-at-launch.cjs).
import { resolve } from "node:path";
import { build, type BuildResult, type Metafile, type Plugin } from "esbuild";

const root = resolve(__dirname, "../..");
// The build's own CommonJS plugin, shared with scripts/build.mjs.
const { protobufAtLaunch } = require("../../scripts/build/protobuf-at-launch.cjs") as { protobufAtLaunch: (root: string) => Plugin };

/** Inputs reachable from `entry` without crossing a dynamic import() other than those to `alsoDynamic`. */
function loadedAtStartup(metafile: Metafile, entry: string, alsoDynamic: RegExp = /$^/): Set<string> {
  const reached = new Set<string>([entry]);
  const queue = [entry];
  while (queue.length > 0) {
    for (const edge of metafile.inputs[queue.shift()!]?.imports ?? []) {
      if ((edge.kind === "dynamic-import" && !alsoDynamic.test(edge.path)) || edge.external || reached.has(edge.path)) continue;
      reached.add(edge.path);
      queue.push(edge.path);
    }
  }
  return reached;
}

/** The provider bundle as scripts/build.mjs makes it (minified: no comments; its plugin for @bufbuild/protobuf), in memory. */
function bundle(): Promise<BuildResult<{ metafile: true; write: false }>> {
  return build({
    entryPoints: [resolve(root, "cmd/terraform-provider-agyn.ts")],
    absWorkingDir: root,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    minifyWhitespace: true,
    minifySyntax: true,
    write: false,
    metafile: true,
    outfile: "provider.js",
    logLevel: "silent",
    plugins: [protobufAtLaunch(root)],
  });
}

it("loads neither the Gateway client, zod, YAML, the release code nor a protocol adapter before the handshake", async () => {
  const { metafile } = await bundle();
  const reached = [...loadedAtStartup(metafile, "cmd/terraform-provider-agyn.ts")];
  const deferred = [
    /^node_modules\/zod\//,
    /^node_modules\/yaml\//,
    /^node_modules\/@connectrpc\//,
    /^gen\/agynio\//,
    /^gateway\/client\.ts$/,
    /^release\//,
    /^provider\/protocol\/protocol[56]\.ts$/,
    /^provider\/startup\/turbofan-delay\.ts$/, // it imports node:v8, milliseconds of every launch
  ];
  expect(reached.filter((path) => deferred.some((pattern) => pattern.test(path)))).toEqual([]);
  // The walk itself works: the framework and the gRPC server are there.
  expect(reached).toEqual(expect.arrayContaining(["provider/server/plugin-server.ts", "resources/agyn-provider.ts"]));
});

it("boots no google/protobuf/descriptor.proto before the first answer: no fileDesc(), no JSON, no well-known types' index", async () => {
  const { metafile } = await bundle();
  // The negotiated protocol's adapter is imported dynamically, but before the handshake.
  const reached = [...loadedAtStartup(metafile, "cmd/terraform-provider-agyn.ts", /^provider\/protocol\/protocol[56]\.ts$/)];
  const runtime = "node_modules/@bufbuild/protobuf/dist/esm/";
  const needsDescriptorProto = [
    "wkt/google/protobuf/descriptor_pb.js", "wkt/index.js", "codegenv2/file.js", "codegenv2/boot.js", "to-json.js", "from-json.js",
    "wkt/google/protobuf/timestamp_pb.js", // its fileDesc() decodes with descriptor.proto; gen/ has it as literals
  ].map((module) => runtime + module);
  expect(reached.filter((path) => needsDescriptorProto.includes(path))).toEqual([]);
  // The walk itself works: the runtime, the protocol's descriptors and Timestamp's literal are there.
  expect(reached).toEqual(expect.arrayContaining([`${runtime}create.js`, "gen/tfplugin6/tfplugin6_pb.ts", "gen/google/protobuf/timestamp_pb.ts"]));
});

it("bundles to ASCII only (esbuild escapes strings, not regular expression literals)", async () => {
  const [output] = (await bundle()).outputFiles;
  const text = output.text;
  const first = text.search(/[^\x00-\x7f]/);
  expect(first < 0 ? "" : text.slice(Math.max(0, first - 60), first + 20)).toBe("");
});
