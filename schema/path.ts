// Where in an object a value sits: the attribute path a diagnostic points at.

export type PathStep = { attr: string } | { key: string } | { index: number };
export type Path = readonly PathStep[];

export function pathToString(path: Path): string {
  return path
    .map((s, i) => ("attr" in s ? (i === 0 ? s.attr : `.${s.attr}`) : "key" in s ? `[${JSON.stringify(s.key)}]` : `[${s.index}]`))
    .join("");
}
