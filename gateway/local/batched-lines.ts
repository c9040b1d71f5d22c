// The local Gateway's log sink writes its lines together, once per turn of the event loop: one line per request,
// written one by one, was a write system call per request (over a tenth of the request line's cost even into
// /dev/null). Lines keep their order and are out before the next turn; flush() writes what waits at once (at
// shutdown, and on exit so a crash loses nothing already logged).
//
// Several processes may share the stream (`serve --workers N`: every worker writes to the same stderr). A pipe
// takes a write of at most PIPE_BUF bytes whole, never mixed with another process's; a longer one may be split
// wherever the pipe fills. So each write holds whole lines and at most WRITE_MAX_BYTES, and a single line longer
// than that (a huge User-Agent) is cut to fit: the log stays one line per event, whoever writes beside us.

/** POSIX's PIPE_BUF floor is 512 bytes; Linux and macOS take 4,096 bytes at once (and a regular file any size). */
export const WRITE_MAX_BYTES = 4096;
const CUT_MARK = " …(cut)";

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
    const lines = this.waiting;
    this.waiting = [];
    let text = "";
    let bytes = 0;
    for (const waiting of lines) {
      const line = `${fitted(waiting)}\n`;
      const lineBytes = Buffer.byteLength(line);
      if (bytes + lineBytes > WRITE_MAX_BYTES) {
        this.write(text);
        text = "";
        bytes = 0;
      }
      text += line;
      bytes += lineBytes;
    }
    this.write(text);
  }
}

/** The line as it is when it fits in one write with its newline, else cut (at a character) so that it does. */
function fitted(line: string): string {
  // Every UTF-16 unit is at most 3 bytes of UTF-8: short lines need no count.
  if (line.length * 3 < WRITE_MAX_BYTES) return line;
  if (Buffer.byteLength(line) < WRITE_MAX_BYTES) return line;
  const room = WRITE_MAX_BYTES - 1 - Buffer.byteLength(CUT_MARK);
  let kept = Buffer.from(line).subarray(0, room).toString();
  // A character cut in half decodes to U+FFFD, which may be longer than the bytes it replaces: drop it.
  while (Buffer.byteLength(kept) > room) kept = kept.slice(0, -1);
  return kept + CUT_MARK;
}
