// What gen/descriptor-literal.ts is: `npm run generate` copies this file there (scripts/generate/descriptor-literals.mjs).
//
// protoc-gen-es embeds each file's descriptor as base64, and fileDesc() decodes it at load with
// @bufbuild/protobuf's reflective decoder. For the files a plugin loads before its first answer, the generator
// writes the decoded FileDescriptorProto out as object literals instead, exactly as fileDesc() would leave it
// (own fields, key order, JSON names restored), and this builds the same descriptor from it without decoding,
// which was most of what loading tfplugin6 cost (README, Performance).
import { createFileRegistry } from "@bufbuild/protobuf";
import type { GenFile } from "@bufbuild/protobuf/codegenv2";
import type { FileDescriptorProto } from "@bufbuild/protobuf/wkt";

/**
 * What @bufbuild/protobuf's prototype for each descriptor.proto message holds (the defaults of its unset fields),
 * by message name. Empty here: the generator writes it out in gen/'s copy of this file (descriptor-literals.mjs).
 */
const descriptorPrototypes: Readonly<Record<string, object>> = {};

/**
 * One message of google/protobuf/descriptor.proto (`name` without its package) with these own fields, on a
 * prototype holding what @bufbuild/protobuf's prototype for that message holds (the defaults of unset fields).
 * Written down by the generator, so that nothing here needs descriptor.proto's own descriptor: booting it was the
 * largest piece of a launch before its handshake (README, Performance).
 */
export function descriptorMessage(name: string, fields: Record<string, unknown>): object {
  const prototype = descriptorPrototypes[name];
  if (!prototype) throw new Error(`no prototype for google.protobuf.${name}; \`npm run generate\` writes them`);
  const message = Object.create(prototype) as Record<string, unknown>;
  message.$typeName = `google.protobuf.${name}`;
  return Object.assign(message, fields);
}

/** The file descriptor, as fileDesc(base64, imports) makes it. */
export function fileDescFromLiteral(proto: object, imports: GenFile[] = []): GenFile {
  const root = proto as FileDescriptorProto;
  const registry = createFileRegistry(root, (name) => imports.find((file) => file.proto.name === name));
  const file = registry.getFile(root.name);
  if (!file) throw new Error(`no file ${root.name} in its own registry`);
  return file;
}
