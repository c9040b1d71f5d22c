// An ad-hoc code signature for a thin 64-bit Mach-O executable, as `codesign --sign -` writes one: a SuperBlob
// with a SHA-256 CodeDirectory (one hash per 4 KiB page of everything before the signature), an empty
// requirement set and an empty CMS slot. Apple Silicon refuses to run code without a valid signature, and
// injecting the bundle (postject) voids Node's own; there is no codesign on Linux, so we write it here.
// No hardened runtime flag: V8's JIT needs no entitlement then. Layouts: <mach-o/loader.h> and
// <kern/cs_blobs.h> in Apple's open-source xnu.
import { createHash } from "node:crypto";

const MH_MAGIC_64 = 0xfeedfacf;
const MH_EXECUTE = 2;
const CPU_TYPE_ARM64 = 0x0100000c;
const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;
const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
const CSMAGIC_REQUIREMENTS = 0xfade0c01;
const CSMAGIC_BLOBWRAPPER = 0xfade0b01;
const CSSLOT_CODEDIRECTORY = 0;
const CSSLOT_REQUIREMENTS = 2;
const CSSLOT_SIGNATURESLOT = 0x10000;
const CS_ADHOC = 0x2;
const CS_EXECSEG_MAIN_BINARY = 0x1;
const CODEDIRECTORY_VERSION = 0x20400; // with the exec segment fields
const CODEDIRECTORY_HEADER = 88;
const CS_HASHTYPE_SHA256 = 2;
const HASH_SIZE = 32;
const PAGE_SHIFT = 12;
const PAGE = 1 << PAGE_SHIFT;
const SPECIAL_SLOTS = 2; // -1 Info.plist (none), -2 requirements

interface Segment {
  readonly commandOffset: number;
  readonly name: string;
  readonly fileoff: number;
  readonly filesize: number;
}

export interface MachOLayout {
  readonly cpuType: number;
  readonly fileType: number;
  readonly commandsEnd: number;
  readonly firstSectionOffset: number;
  readonly segments: readonly Segment[];
  readonly codeSignature?: { readonly commandOffset: number; readonly dataoff: number; readonly datasize: number };
}

export function readMachOLayout(image: Buffer): MachOLayout {
  if (image.length < 32 || image.readUInt32LE(0) !== MH_MAGIC_64) throw new Error("not a thin 64-bit little-endian Mach-O file");
  const ncmds = image.readUInt32LE(16);
  const sizeofcmds = image.readUInt32LE(20);
  const segments: Segment[] = [];
  let codeSignature: MachOLayout["codeSignature"];
  let firstSectionOffset = Number.MAX_SAFE_INTEGER;
  let at = 32;
  for (let i = 0; i < ncmds; i++) {
    const cmd = image.readUInt32LE(at);
    const cmdsize = image.readUInt32LE(at + 4);
    if (cmd === LC_SEGMENT_64) {
      segments.push({
        commandOffset: at,
        name: image.toString("latin1", at + 8, at + 24).replace(/\0.*$/s, ""),
        fileoff: Number(image.readBigUInt64LE(at + 40)),
        filesize: Number(image.readBigUInt64LE(at + 48)),
      });
      const nsects = image.readUInt32LE(at + 64);
      for (let s = 0; s < nsects; s++) {
        const offset = image.readUInt32LE(at + 72 + s * 80 + 48);
        if (offset > 0) firstSectionOffset = Math.min(firstSectionOffset, offset);
      }
    } else if (cmd === LC_CODE_SIGNATURE) {
      codeSignature = { commandOffset: at, dataoff: image.readUInt32LE(at + 8), datasize: image.readUInt32LE(at + 12) };
    }
    at += cmdsize;
  }
  if (at !== 32 + sizeofcmds) throw new Error("Mach-O load commands do not add up to sizeofcmds");
  return { cpuType: image.readInt32LE(4), fileType: image.readUInt32LE(12), commandsEnd: at, firstSectionOffset, segments, codeSignature };
}

/** The image with any existing signature replaced by an ad-hoc one (a new buffer; the input is not changed). */
export function signAdHoc(input: Buffer, identifier: string): Buffer {
  const layout = readMachOLayout(input);
  const text = layout.segments.find((s) => s.name === "__TEXT");
  const linkedit = layout.segments.find((s) => s.name === "__LINKEDIT");
  if (!text || !linkedit) throw new Error("Mach-O file without __TEXT or __LINKEDIT segment");
  if (layout.segments.some((s) => s !== linkedit && s.fileoff + s.filesize > linkedit.fileoff && s.filesize > 0)) {
    throw new Error("__LINKEDIT is not the last segment in the file");
  }

  let image: Buffer;
  let commandOffset: number;
  let codeLimit: number;
  if (layout.codeSignature) {
    // The old signature is the tail of __LINKEDIT; the new one takes its place.
    ({ commandOffset, dataoff: codeLimit } = layout.codeSignature);
    image = Buffer.from(input.subarray(0, codeLimit));
  } else {
    const linkeditEnd = linkedit.fileoff + linkedit.filesize;
    if (linkeditEnd !== input.length) throw new Error("data after __LINKEDIT; cannot append a signature");
    if (layout.commandsEnd + 16 > layout.firstSectionOffset) throw new Error("no room in the Mach-O header for LC_CODE_SIGNATURE");
    codeLimit = align(linkeditEnd, 16);
    image = Buffer.alloc(codeLimit);
    input.copy(image);
    commandOffset = layout.commandsEnd;
    image.writeUInt32LE(LC_CODE_SIGNATURE, commandOffset);
    image.writeUInt32LE(16, commandOffset + 4);
    image.writeUInt32LE(image.readUInt32LE(16) + 1, 16); // ncmds
    image.writeUInt32LE(image.readUInt32LE(20) + 16, 20); // sizeofcmds
  }

  const ident = Buffer.from(`${identifier}\0`, "utf8");
  const codeSlots = Math.ceil(codeLimit / PAGE);
  const hashOffset = CODEDIRECTORY_HEADER + ident.length + SPECIAL_SLOTS * HASH_SIZE;
  const codeDirectoryLength = hashOffset + codeSlots * HASH_SIZE;
  const requirements = Buffer.alloc(12);
  requirements.writeUInt32BE(CSMAGIC_REQUIREMENTS, 0);
  requirements.writeUInt32BE(12, 4); // length; count 0
  const cms = Buffer.alloc(8);
  cms.writeUInt32BE(CSMAGIC_BLOBWRAPPER, 0);
  cms.writeUInt32BE(8, 4);
  const superBlobHeader = 12 + 3 * 8;
  const signatureLength = superBlobHeader + codeDirectoryLength + requirements.length + cms.length;
  const datasize = align(signatureLength, 16);

  // The load commands are part of the hashed pages, so they get their final values first.
  image.writeUInt32LE(codeLimit, commandOffset + 8);
  image.writeUInt32LE(datasize, commandOffset + 12);
  const linkeditFilesize = codeLimit + datasize - linkedit.fileoff;
  const segmentPage = layout.cpuType === CPU_TYPE_ARM64 ? 0x4000 : 0x1000;
  image.writeBigUInt64LE(BigInt(linkeditFilesize), linkedit.commandOffset + 48);
  image.writeBigUInt64LE(BigInt(align(linkeditFilesize, segmentPage)), linkedit.commandOffset + 32);

  const cd = Buffer.alloc(codeDirectoryLength);
  cd.writeUInt32BE(CSMAGIC_CODEDIRECTORY, 0);
  cd.writeUInt32BE(codeDirectoryLength, 4);
  cd.writeUInt32BE(CODEDIRECTORY_VERSION, 8);
  cd.writeUInt32BE(CS_ADHOC, 12);
  cd.writeUInt32BE(hashOffset, 16);
  cd.writeUInt32BE(CODEDIRECTORY_HEADER, 20); // identOffset
  cd.writeUInt32BE(SPECIAL_SLOTS, 24);
  cd.writeUInt32BE(codeSlots, 28);
  cd.writeUInt32BE(codeLimit, 32);
  cd.writeUInt8(HASH_SIZE, 36);
  cd.writeUInt8(CS_HASHTYPE_SHA256, 37);
  cd.writeUInt8(0, 38); // platform
  cd.writeUInt8(PAGE_SHIFT, 39);
  // spare2, scatterOffset, teamOffset, spare3, codeLimit64: 0
  cd.writeBigUInt64BE(BigInt(text.fileoff), 64); // execSegBase
  cd.writeBigUInt64BE(BigInt(text.filesize), 72); // execSegLimit
  cd.writeBigUInt64BE(BigInt(layout.fileType === MH_EXECUTE ? CS_EXECSEG_MAIN_BINARY : 0), 80);
  ident.copy(cd, CODEDIRECTORY_HEADER);
  sha256(requirements).copy(cd, hashOffset - CSSLOT_REQUIREMENTS * HASH_SIZE); // slot -1 (Info.plist) stays zero
  for (let page = 0; page < codeSlots; page++) {
    sha256(image.subarray(page * PAGE, Math.min(codeLimit, (page + 1) * PAGE))).copy(cd, hashOffset + page * HASH_SIZE);
  }

  const superBlob = Buffer.alloc(datasize);
  superBlob.writeUInt32BE(CSMAGIC_EMBEDDED_SIGNATURE, 0);
  superBlob.writeUInt32BE(signatureLength, 4);
  superBlob.writeUInt32BE(3, 8);
  const blobs: [number, Buffer][] = [[CSSLOT_CODEDIRECTORY, cd], [CSSLOT_REQUIREMENTS, requirements], [CSSLOT_SIGNATURESLOT, cms]];
  let offset = superBlobHeader;
  blobs.forEach(([slot, blob], i) => {
    superBlob.writeUInt32BE(slot, 12 + i * 8);
    superBlob.writeUInt32BE(offset, 16 + i * 8);
    blob.copy(superBlob, offset);
    offset += blob.length;
  });
  return Buffer.concat([image, superBlob]);
}

export interface AdHocSignatureCheck {
  readonly identifier: string;
  readonly flags: number;
  readonly codeLimit: number;
  readonly pages: number;
  /** Page indexes whose recorded hash does not match the file. */
  readonly badPages: readonly number[];
  readonly requirementsHashMatches: boolean;
  readonly coversFileEnd: boolean;
}

/** Reads a signature back and re-hashes every page, as the kernel would when the pages are loaded. */
export function checkAdHocSignature(image: Buffer): AdHocSignatureCheck {
  const layout = readMachOLayout(image);
  if (!layout.codeSignature) throw new Error("no LC_CODE_SIGNATURE");
  const { dataoff, datasize } = layout.codeSignature;
  const linkedit = layout.segments.find((s) => s.name === "__LINKEDIT")!;
  const blob = image.subarray(dataoff, dataoff + datasize);
  if (blob.readUInt32BE(0) !== CSMAGIC_EMBEDDED_SIGNATURE) throw new Error("signature is not an embedded-signature SuperBlob");
  const count = blob.readUInt32BE(8);
  const slots = new Map<number, Buffer>();
  for (let i = 0; i < count; i++) {
    const off = blob.readUInt32BE(16 + i * 8);
    slots.set(blob.readUInt32BE(12 + i * 8), blob.subarray(off, off + blob.readUInt32BE(off + 4)));
  }
  const cd = slots.get(CSSLOT_CODEDIRECTORY);
  if (!cd || cd.readUInt32BE(0) !== CSMAGIC_CODEDIRECTORY) throw new Error("no CodeDirectory");
  const hashOffset = cd.readUInt32BE(16);
  const identOffset = cd.readUInt32BE(20);
  const nCodeSlots = cd.readUInt32BE(28);
  const codeLimit = cd.readUInt32BE(32);
  const pageSize = 1 << cd.readUInt8(39);
  if (cd.readUInt8(37) !== CS_HASHTYPE_SHA256) throw new Error("CodeDirectory is not SHA-256");
  const badPages: number[] = [];
  for (let page = 0; page < nCodeSlots; page++) {
    const actual = sha256(image.subarray(page * pageSize, Math.min(codeLimit, (page + 1) * pageSize)));
    if (!actual.equals(cd.subarray(hashOffset + page * HASH_SIZE, hashOffset + (page + 1) * HASH_SIZE))) badPages.push(page);
  }
  const requirements = slots.get(CSSLOT_REQUIREMENTS);
  return {
    identifier: cd.toString("utf8", identOffset, cd.indexOf(0, identOffset)),
    flags: cd.readUInt32BE(12),
    codeLimit,
    pages: nCodeSlots,
    badPages,
    requirementsHashMatches:
      requirements !== undefined &&
      sha256(requirements).equals(cd.subarray(hashOffset - CSSLOT_REQUIREMENTS * HASH_SIZE, hashOffset - HASH_SIZE)),
    coversFileEnd:
      codeLimit === dataoff && dataoff + datasize === image.length && linkedit.fileoff + linkedit.filesize === image.length,
  };
}

function sha256(data: Buffer): Buffer {
  return createHash("sha256").update(data).digest();
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
