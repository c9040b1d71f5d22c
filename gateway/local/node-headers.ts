// The request headers as connect's handlers read them (a fetch API Headers), over the object Node.js already
// parsed. Copying every header into undici's Headers on each request cost more than the few lookups connect makes;
// this view copies nothing until a header is changed (the Gateway deletes content-length on a refused call).
import type { IncomingHttpHeaders } from "node:http";

export class NodeRequestHeaders implements Headers {
  /** Node's object while untouched; a private copy from the first change on. */
  private fields: Record<string, string | string[] | undefined>;
  private copied = false;

  constructor(nodeHeaders: IncomingHttpHeaders) {
    this.fields = nodeHeaders;
  }

  get(name: string): string | null {
    const value = this.fields[name.toLowerCase()];
    if (value === undefined || name.startsWith(":")) return null;
    return Array.isArray(value) ? value.join(", ") : String(value);
  }

  has(name: string): boolean {
    return this.get(name) !== null;
  }

  getSetCookie(): string[] {
    const value = this.fields["set-cookie"];
    if (value === undefined) return [];
    return Array.isArray(value) ? [...value] : [String(value)];
  }

  set(name: string, value: string): void {
    this.writable()[name.toLowerCase()] = String(value);
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const known = this.get(key);
    this.writable()[key] = known === null ? String(value) : `${known}, ${value}`;
  }

  delete(name: string): void {
    delete this.writable()[name.toLowerCase()];
  }

  forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }

  entries(): IterableIterator<[string, string]> {
    // Like Headers: sorted by name, HTTP/2 pseudo-headers (:path, :authority, …) left out. A list, not a generator:
    // connect copies the request headers once per call, and a generator's steps cost more than the list.
    const entries: [string, string][] = [];
    for (const key of Object.keys(this.fields).sort()) {
      const value = this.get(key);
      if (value !== null) entries.push([key, value]);
    }
    return entries[Symbol.iterator]();
  }

  *keys(): IterableIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  private writable(): Record<string, string | string[] | undefined> {
    if (!this.copied) {
      this.fields = { ...this.fields };
      this.copied = true;
    }
    return this.fields;
  }
}
