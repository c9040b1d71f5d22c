// node.exe carries Node.js's Authenticode signature. Injecting the bundle voids it, and postject would carry
// the stale certificate table along (Windows then sees a corrupt signature), so it is removed before the
// injection and the PE checksum recomputed after it: the result is a cleanly unsigned executable, which
// Windows runs when Terraform starts it. Layout: Microsoft's PE/COFF specification.

const IMAGE_DIRECTORY_ENTRY_SECURITY = 4;

interface PeLayout {
  readonly checksumOffset: number;
  readonly securityEntryOffset: number;
}

function readPeLayout(image: Buffer): PeLayout {
  if (image.length < 0x40 || image.toString("latin1", 0, 2) !== "MZ") throw new Error("not a PE file (no MZ header)");
  const pe = image.readUInt32LE(0x3c);
  if (image.toString("latin1", pe, pe + 4) !== "PE\0\0") throw new Error("not a PE file (no PE signature)");
  const optional = pe + 24;
  const magic = image.readUInt16LE(optional);
  const dataDirectories = magic === 0x20b ? optional + 112 : magic === 0x10b ? optional + 96 : -1;
  if (dataDirectories < 0) throw new Error(`unknown PE optional header magic 0x${magic.toString(16)}`);
  return { checksumOffset: optional + 64, securityEntryOffset: dataDirectories + IMAGE_DIRECTORY_ENTRY_SECURITY * 8 };
}

/** The certificate table, if any: for the security directory the "address" is a file offset. */
export function authenticodeSignature(image: Buffer): { offset: number; size: number } | undefined {
  const { securityEntryOffset } = readPeLayout(image);
  const offset = image.readUInt32LE(securityEntryOffset);
  const size = image.readUInt32LE(securityEntryOffset + 4);
  return size === 0 ? undefined : { offset, size };
}

/** The image without its Authenticode signature (a new buffer), as `signtool remove /s` leaves it. */
export function removeAuthenticodeSignature(input: Buffer): Buffer {
  const signature = authenticodeSignature(input);
  if (!signature) return Buffer.from(input);
  if (signature.offset + signature.size !== input.length) throw new Error("the certificate table is not at the end of the file");
  const image = Buffer.from(input.subarray(0, signature.offset));
  const { securityEntryOffset } = readPeLayout(image);
  image.writeUInt32LE(0, securityEntryOffset);
  image.writeUInt32LE(0, securityEntryOffset + 4);
  return withPeChecksum(image);
}

/** The PE checksum as Windows' CheckSumMappedFile computes it (16-bit one's-complement sum plus length). */
export function peChecksum(image: Buffer): number {
  const { checksumOffset } = readPeLayout(image);
  let sum = 0;
  const even = image.length & ~1;
  for (let i = 0; i < even; i += 2) {
    if (i === checksumOffset || i === checksumOffset + 2) continue;
    sum += image.readUInt16LE(i);
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  if (image.length & 1) {
    sum += image[image.length - 1];
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  sum = (sum & 0xffff) + (sum >>> 16);
  return (sum + image.length) >>> 0;
}

/** Writes the correct checksum into the image (in place) and returns it. */
export function withPeChecksum(image: Buffer): Buffer {
  image.writeUInt32LE(peChecksum(image), readPeLayout(image).checksumOffset);
  return image;
}

export function storedPeChecksum(image: Buffer): number {
  return image.readUInt32LE(readPeLayout(image).checksumOffset);
}
