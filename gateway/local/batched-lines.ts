// The local Gateway's log sink writes its lines together, once per turn of the event loop: one line per request,
// written one by one, was a write system call per request (over a tenth of the request line's cost even into
// /dev/null). Lines keep their order and are out before the next turn; flush() writes what waits at once (at
// shutdown, and on exit so a crash loses nothing already logged).
export class BatchedLines {
  private waiting: string[] = [];
  private scheduled = false;

  constructor(private readonly write: (text: string) => void) {}

  /** `line` without its newline. */
  add(line: string): void {
    this.waiting.push(line);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  flush(): void {
    this.scheduled = false;
    if (this.waiting.length === 0) return;
    const text = `${this.waiting.join("\n")}\n`;
    this.waiting = [];
    this.write(text);
  }
}
