// Finds the HCL a user may copy from this repository — every ```hcl / ```terraform / ```tf block in README.md
// and docs/**/*.md, and every example file in the Registry's examples/ layout — and says what each one is:
// a Terraform configuration (complete, or a fragment) or a Terraform CLI configuration. The rules are in
// test/acceptance/hcl-blocks.test.ts.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** One piece of HCL to check; identical texts found in several places are one unit with several sources. */
export interface HclUnit {
  /** Where it was found, as "file:line" (the line of the opening fence, or 1 for a file). */
  sources: string[];
  text: string;
}

export const HCL_FENCE_LANGUAGES = ["hcl", "terraform", "tf"];
/** The examples the Registry tooling reads (examples/ also holds runnable stacks, applied by examples.test.ts). */
export const REGISTRY_EXAMPLE_DIRS = ["provider", "resources", "data-sources", "ephemeral-resources"];
/** Top-level settings of a Terraform CLI configuration file (~/.terraformrc), not of the Terraform language. */
export const CLI_CONFIG_SETTINGS = [
  "provider_installation",
  "plugin_cache_dir",
  "plugin_cache_may_break_dependency_lock_file",
  "disable_checkpoint",
  "disable_checkpoint_signature",
  "credentials",
  "credentials_helper",
  "host",
];

export function collectHclUnits(root: string): HclUnit[] {
  const found: { source: string; text: string }[] = [];
  const markdown = ["README.md", ...filesUnder(root, "docs").filter((f) => f.endsWith(".md"))];
  for (const file of markdown) {
    for (const block of fencedBlocks(readFileSync(join(root, file), "utf8"))) {
      if (HCL_FENCE_LANGUAGES.includes(block.language)) found.push({ source: `${file}:${block.line}`, text: block.text });
    }
  }
  for (const dir of REGISTRY_EXAMPLE_DIRS) {
    for (const file of filesUnder(root, `examples/${dir}`).filter((f) => f.endsWith(".tf"))) {
      found.push({ source: `${file}:1`, text: readFileSync(join(root, file), "utf8") });
    }
  }
  const byText = new Map<string, HclUnit>();
  for (const f of found) {
    const key = f.text.trim();
    const unit = byText.get(key) ?? { sources: [], text: key + "\n" };
    unit.sources.push(f.source);
    byText.set(key, unit);
  }
  return [...byText.values()];
}

function filesUnder(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(root, p).split("\\").join("/"));
    }
  };
  walk(join(root, dir));
  return out;
}

/** CommonMark fenced code blocks (``` or ~~~, possibly indented inside a list item). */
export function fencedBlocks(markdown: string): { language: string; line: number; text: string }[] {
  const lines = markdown.split("\n");
  const blocks: { language: string; line: number; text: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = /^\s*(`{3,}|~{3,})\s*$/.exec(lines[j]);
      if (close && close[1][0] === fence[0] && close[1].length >= fence.length) break;
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j].trimStart());
    }
    blocks.push({ language: info.toLowerCase(), line: i + 1, text: body.join("\n") });
    i = j;
  }
  return blocks;
}

export interface TopLevelItem {
  name: string;
  kind: "block" | "attribute";
  labels: string[];
  /** A block's body, between its braces. */
  body: string;
}

/**
 * The top-level blocks and attributes of an HCL body (`resource "a" "b" {…}`, `plugin_cache_dir = …`), or
 * undefined when the text cannot be read that way — Terraform then reports the syntax error itself.
 */
export function topLevelItems(text: string): TopLevelItem[] | undefined {
  const s = new Scanner(text);
  const items: TopLevelItem[] = [];
  try {
    for (;;) {
      s.skipTrivia(true);
      if (s.done()) return items;
      const name = s.identifier();
      s.skipTrivia(false);
      if (s.peek() === "=") {
        s.pos++;
        s.skipExpressionToLineEnd();
        items.push({ name, kind: "attribute", labels: [], body: "" });
        continue;
      }
      const labels: string[] = [];
      while (s.peek() !== "{") {
        labels.push(s.peek() === '"' ? s.stringLiteral() : s.identifier());
        s.skipTrivia(false);
      }
      const start = s.pos;
      s.skipBalanced();
      items.push({ name, kind: "block", labels, body: text.slice(start + 1, s.pos - 1) });
    }
  } catch {
    return undefined;
  }
}

const CLOSER: Record<string, string> = { "{": "}", "[": "]", "(": ")" };

/** Just enough of HCL's lexical structure to skip strings (with nested templates), heredocs and comments. */
class Scanner {
  pos = 0;
  constructor(private readonly s: string) {}

  done(): boolean {
    return this.pos >= this.s.length;
  }

  peek(offset = 0): string {
    return this.s[this.pos + offset] ?? "";
  }

  fail(): never {
    throw new Error(`unexpected input at offset ${this.pos}`);
  }

  identifier(): string {
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.s.slice(this.pos));
    if (!m) this.fail();
    this.pos += m[0].length;
    return m[0];
  }

  /** Skips blanks and comments; newlines too when `newlines` is set. */
  skipTrivia(newlines: boolean): void {
    while (!this.done()) {
      const c = this.peek();
      if (c === " " || c === "\t" || c === "\r" || (newlines && c === "\n")) this.pos++;
      else if (c === "#" || (c === "/" && this.peek(1) === "/")) this.skipLineComment();
      else if (c === "/" && this.peek(1) === "*") this.skipBlockComment();
      else return;
    }
  }

  private skipLineComment(): void {
    while (!this.done() && this.peek() !== "\n") this.pos++;
  }

  private skipBlockComment(): void {
    const end = this.s.indexOf("*/", this.pos + 2);
    if (end < 0) this.fail();
    this.pos = end + 2;
  }

  stringLiteral(): string {
    const start = this.pos;
    this.skipString();
    return JSON.parse(this.s.slice(start, this.pos)) as string;
  }

  /** At a `"`: skips the string, including `${…}` and `%{…}` templates that may hold strings of their own. */
  private skipString(): void {
    this.pos++;
    while (!this.done()) {
      const c = this.peek();
      if (c === "\\") this.pos += 2;
      else if (c === '"') {
        this.pos++;
        return;
      } else if ((c === "$" || c === "%") && this.peek(1) === "{") {
        this.pos += 2;
        this.skipUntil("}");
      } else if (c === "\n") this.fail();
      else this.pos++;
    }
    this.fail();
  }

  /** At `<<EOT` or `<<-EOT`: skips to the line that holds only the terminator. */
  private skipHeredoc(): void {
    const m = /^<<-?([A-Za-z_][A-Za-z0-9_-]*)\r?\n/.exec(this.s.slice(this.pos));
    if (!m) this.fail();
    const lines = this.s.slice(this.pos + m[0].length).split("\n");
    let offset = this.pos + m[0].length;
    for (const line of lines) {
      offset += line.length + 1;
      if (line.trim() === m[1]) {
        this.pos = offset - 1;
        return;
      }
    }
    this.fail();
  }

  /** At `{`, `[` or `(`: skips to the matching closer. */
  skipBalanced(): void {
    const closer = CLOSER[this.peek()];
    if (!closer) this.fail();
    this.pos++;
    this.skipUntil(closer);
  }

  /** Skips expression text up to and including `closer`, stepping over nested brackets, strings and comments. */
  private skipUntil(closer: string): void {
    while (!this.done()) {
      if (this.skipExpressionPart()) continue;
      const c = this.peek();
      this.pos++;
      if (c === closer) return;
      if (c === "}" || c === "]" || c === ")") this.fail();
    }
    this.fail();
  }

  /** An attribute's value: to the end of the line, where brackets, strings and heredocs may span lines. */
  skipExpressionToLineEnd(): void {
    while (!this.done() && this.peek() !== "\n") {
      if (this.skipExpressionPart()) continue;
      if ("}])".includes(this.peek())) this.fail();
      this.pos++;
    }
  }

  private skipExpressionPart(): boolean {
    const c = this.peek();
    if (c === '"') this.skipString();
    else if (CLOSER[c]) this.skipBalanced();
    else if (c === "<" && this.peek(1) === "<") this.skipHeredoc();
    else if (c === "#" || (c === "/" && this.peek(1) === "/")) this.skipLineComment();
    else if (c === "/" && this.peek(1) === "*") this.skipBlockComment();
    else return false;
    return true;
  }
}
