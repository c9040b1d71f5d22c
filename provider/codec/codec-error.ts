// A value that does not fit the schema. Carries the attribute path so the diagnostic can point at it.

export type PathStep = { attr: string } | { key: string } | { index: number };
export type Path = readonly PathStep[];

export class CodecError extends Error {
  constructor(message: string, readonly path: Path) {
    super(message);
    this.name = "CodecError";
  }
}

export function pathToString(path: Path): string {
  return path
    .map((s, i) => ("attr" in s ? (i === 0 ? s.attr : `.${s.attr}`) : "key" in s ? `[${JSON.stringify(s.key)}]` : `[${s.index}]`))
    .join("");
}
