// A value that does not fit the schema. Carries the attribute path so the diagnostic can point at it.
import type { Path } from "../../schema/path";

export class CodecError extends Error {
  constructor(message: string, readonly path: Path) {
    super(message);
    this.name = "CodecError";
  }
}
