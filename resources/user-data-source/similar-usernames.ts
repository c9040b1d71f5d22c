// When no user has the username asked for, name the ones that look like it — typos and near misses — among
// the users the caller can see (SearchUsers is open to every signed-in caller; a cluster admin's scan sees
// everyone). Pure ranking, no Gateway calls.

/** At most this many suggestions: enough for a typo, short enough to read in a diagnostic. */
const MAX_SUGGESTIONS = 5;

export interface Candidate {
  readonly username: string | null;
  readonly name: string | null;
}

/** The candidates close to `wanted`, closest first, each as `"handle" (Name)`. */
export function similarUsernames(wanted: string, candidates: readonly Candidate[]): string[] {
  const tolerance = Math.max(2, Math.floor(wanted.length / 3));
  const seen = new Set<string>();
  const ranked: { text: string; distance: number; username: string }[] = [];
  for (const c of candidates) {
    const username = c.username;
    if (!username || username === wanted || seen.has(username)) continue;
    seen.add(username);
    const distance = editDistance(wanted, username);
    const extends_ = username.startsWith(wanted) || wanted.startsWith(username);
    if (distance > tolerance && !extends_) continue;
    ranked.push({ text: c.name ? `"${username}" (${c.name})` : `"${username}"`, distance, username });
  }
  ranked.sort((a, b) => a.distance - b.distance || (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
  return ranked.slice(0, MAX_SUGGESTIONS).map((r) => r.text);
}

/** The prefix to search for near misses when nothing starts with `wanted`: its first three characters at most. */
export function shorterPrefix(wanted: string): string | undefined {
  const prefix = wanted.slice(0, Math.min(3, wanted.length - 1));
  return prefix.length > 0 ? prefix : undefined;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
