// scripts/generate/descriptor-literals.mjs writes some generated files' descriptors as object literals instead of
// protoc-gen-es's base64 (no decoding at load). The descriptors must be the very ones fileDesc() makes of that
// base64: compared here with protoc-gen-es's own output, freshly generated from proto/, byte for byte and field by field.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { type DescFile, type DescMessage, toBinary } from "@bufbuild/protobuf";
import { fileDesc, type GenFile } from "@bufbuild/protobuf/codegenv2";
import * as wkt from "@bufbuild/protobuf/wkt";

const root = join(__dirname, "../..");
const gen = join(root, "gen");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)]));
}

/** The gen/ files whose descriptor the generator wrote as literals. */
const literalFiles = files(gen)
  .filter((path) => path.endsWith("_pb.ts") && readFileSync(path, "utf8").includes("fileDescFromLiteral("))
  .map((path) => relative(gen, path));

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "agyn-protoc-gen-es-"));
  for (const f of ["buf.yaml", "buf.gen.yaml", "proto"]) cpSync(join(root, f), join(scratch, f), { recursive: true });
  const bin = join(root, "node_modules", ".bin");
  execFileSync(join(bin, "buf"), ["generate"], { cwd: scratch, env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}` }, stdio: "pipe" });
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** What protoc-gen-es's fileDesc() makes of the base64 it generated for `file` (and for the files it imports). */
function fromBase64(file: string): GenFile {
  const [, base64, imports] = /fileDesc\("([A-Za-z0-9+/]+)"(?:, \[([\w, ]*)\])?\)/.exec(readFileSync(join(scratch, "gen", file), "utf8"))!;
  return fileDesc(base64, imports ? imports.split(", ").map((name) => (wkt as unknown as Record<string, GenFile>)[name] ?? importedFile(name)) : []);
}

/** A generated file by its export name (file_agynio_api_users_v1_users is agynio/api/users/v1/users_pb.ts). */
function importedFile(name: string): GenFile {
  const file = files(join(scratch, "gen")).map((path) => relative(join(scratch, "gen"), path))
    .find((path) => readFileSync(join(scratch, "gen", path), "utf8").includes(`export const ${name}: GenFile`));
  if (!file) throw new Error(`no generated file exports ${name}`);
  return fromBase64(file);
}

/**
 * Own keys in order and values, all the way down, and prototypes: the same object, or (a literal's descriptor
 * messages stand on prototypes the generator wrote down) the same own keys and values on the same prototype below.
 */
function sameObjects(a: unknown, b: unknown, path: string): string[] {
  if (typeof a !== "object" || a === null) return Object.is(a, b) ? [] : [`${path}: ${String(a)} ≠ ${String(b)}`];
  if (typeof b !== "object" || b === null) return [`${path}: object ≠ ${String(b)}`];
  const [pa, pb] = [Object.getPrototypeOf(a) as object | null, Object.getPrototypeOf(b) as object | null];
  if (pa !== pb) {
    if (pa === null || pb === null || Object.getPrototypeOf(pa) !== Object.getPrototypeOf(pb)) return [`${path}: another prototype`];
    const prototypeDifferences = sameOwn(pa, pb, `${path}.<prototype>`);
    if (prototypeDifferences.length > 0) return prototypeDifferences;
  }
  return sameOwn(a, b, path);
}

function sameOwn(a: object, b: object, path: string): string[] {
  const [ka, kb] = [Object.keys(a), Object.keys(b)];
  if (ka.join() !== kb.join()) return [`${path}: keys ${ka.join()} ≠ ${kb.join()}`];
  return ka.flatMap((k) => sameObjects((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`));
}

/** What the runtime reads of a file's types, as text. */
function described(file: DescFile): string[] {
  const messages: DescMessage[] = [];
  const pending = [...file.messages];
  for (let m = pending.shift(); m; m = pending.shift()) {
    messages.push(m);
    pending.push(...m.nestedMessages);
  }
  return [
    ...messages.flatMap((m) => [
      `${m.typeName} ${m.oneofs.map((o) => o.localName).join(",")}`,
      ...m.fields.map((f) => {
        const kind = f as unknown as Record<"packed" | "scalar" | "mapKey" | "listKind", unknown>; // by field kind
        return [m.typeName, f.name, f.number, f.localName, f.jsonName, f.fieldKind, f.presence, f.oneof?.name, kind.packed, kind.scalar,
          f.message?.typeName, f.enum?.typeName, kind.mapKey, kind.listKind].join(" ");
      }),
    ]),
    ...file.enums.map((e) => `${e.typeName} ${e.values.map((v) => `${v.name}=${v.number}`).join(",")}`),
    ...file.services.flatMap((s) => s.methods.map((m) => `${s.typeName} ${m.name} ${m.methodKind} ${m.input.typeName} ${m.output.typeName} ${m.idempotency}`)),
  ];
}

it("writes the descriptors of the protocol files, go-plugin's, the Gateway's and Timestamp's as literals", () => {
  expect(literalFiles.sort()).toEqual([
    "agynio/api/gateway/v1/users_gateway_pb.ts",
    "agynio/api/users/v1/users_pb.ts",
    "google/protobuf/timestamp_pb.ts",
    "grpc/health/v1/health_pb.ts",
    "plugin/grpc_controller_pb.ts",
    "tfplugin5/tfplugin5_pb.ts",
    "tfplugin6/tfplugin6_pb.ts",
  ]);
});

it("tells a message on a prototype with other defaults apart", () => {
  const onDefaults = (defaults: object) => Object.assign(Object.create(defaults) as object, { name: "x" });
  expect(sameObjects(onDefaults({ label: 1 }), onDefaults({ label: 1 }), "m")).toEqual([]);
  expect(sameObjects(onDefaults({ label: 1 }), onDefaults({ label: 2 }), "m")).toEqual(["m.<prototype>.label: 1 ≠ 2"]);
  expect(sameObjects(onDefaults({ label: 1 }), onDefaults({ type: 1 }), "m")).toEqual(["m.<prototype>: keys label ≠ type"]);
});

/** The reference for a literal file: protoc-gen-es's output, or for Timestamp the runtime's own file. */
function reference(file: string): GenFile {
  return file === "google/protobuf/timestamp_pb.ts" ? wkt.file_google_protobuf_timestamp : fromBase64(file);
}

describe.each(literalFiles)("%s", (file) => {
  const literal = Object.values(require(join(gen, file)) as Record<string, unknown>).find((v) => (v as DescFile)?.kind === "file") as GenFile;

  it("holds the same FileDescriptorProto as protoc-gen-es's base64, byte for byte and object for object", () => {
    const expected = reference(file);
    expect(Buffer.from(toBinary(wkt.FileDescriptorProtoSchema, literal.proto))).toEqual(Buffer.from(toBinary(wkt.FileDescriptorProtoSchema, expected.proto)));
    expect(sameObjects(literal.proto, expected.proto, "proto")).toEqual([]);
  });

  it("describes the same messages, fields, enums and services", () => {
    const expected = described(reference(file));
    expect(expected.length).toBeGreaterThan(1);
    expect(described(literal)).toEqual(expected);
  });
});
