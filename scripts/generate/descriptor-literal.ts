// What gen/descriptor-literal.ts is: `npm run generate` copies this file there (scripts/generate/descriptor-literals.mjs).
//
// protoc-gen-es embeds each file's descriptor as base64, and fileDesc() decodes it at load with
// @bufbuild/protobuf's reflective decoder. For the files a plugin loads before its first answer, the generator
// writes the decoded FileDescriptorProto out as object literals instead, exactly as fileDesc() would leave it
// (own fields, key order, JSON names restored), and this builds the same descriptor from it without decoding,
// which was most of what loading tfplugin6 cost (README, Performance).
import { create, createFileRegistry, type DescMessage } from "@bufbuild/protobuf";
import type { GenFile } from "@bufbuild/protobuf/codegenv2";
import { type FileDescriptorProto, file_google_protobuf_descriptor } from "@bufbuild/protobuf/wkt";

const prototypes = new Map<string, object>();

/**
 * One message of google/protobuf/descriptor.proto (`name` without its package) with these own fields, on the
 * prototype @bufbuild/protobuf gives every such message (where the defaults of unset fields live).
 */
export function descriptorMessage(name: string, fields: Record<string, unknown>): object {
  const typeName = `google.protobuf.${name}`;
  let prototype = prototypes.get(typeName);
  if (!prototype) {
    prototype = Object.getPrototypeOf(create(descriptorSchema(typeName))) as object;
    prototypes.set(typeName, prototype);
  }
  const message = Object.create(prototype) as Record<string, unknown>;
  message.$typeName = typeName;
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

function descriptorSchema(typeName: string): DescMessage {
  const pending = [...file_google_protobuf_descriptor.messages];
  for (let desc = pending.pop(); desc; desc = pending.pop()) {
    if (desc.typeName === typeName) return desc;
    pending.push(...desc.nestedMessages);
  }
  throw new Error(`${typeName} is not in google/protobuf/descriptor.proto`);
}
