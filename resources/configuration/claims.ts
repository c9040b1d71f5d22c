// Which Gateway objects this provider process accounts for, so that the check after a failed create
// (gateway/token-minting.ts, resources/user/user-creation.ts) never takes one of them for a lost one:
// every id this process created, read or imported is claimed. Creates of one name run together; the check
// of a name waits until none is in flight and holds new ones back while it runs.
import type { ClaimLedger } from "../../gateway/claim-ledger";

export class Claims implements ClaimLedger {
  private readonly claimed = new Set<string>();
  private readonly gates = new Map<string, NameGate>();

  claim(id: string): void {
    this.claimed.add(id);
  }

  isClaimed(id: string): boolean {
    return this.claimed.has(id);
  }

  creating<T>(name: string, create: () => Promise<T>): Promise<T> {
    return this.gate(name).shared(create);
  }

  checking<T>(name: string, check: () => Promise<T>): Promise<T> {
    return this.gate(name).exclusive(check);
  }

  private gate(name: string): NameGate {
    let gate = this.gates.get(name);
    if (!gate) this.gates.set(name, (gate = new NameGate()));
    return gate;
  }
}

/** A readers-writer gate: many shared holders, or one exclusive holder; waiting exclusive holders go first. */
class NameGate {
  private sharedHolders = 0;
  private exclusiveHeld = false;
  private readonly waitingExclusive: (() => void)[] = [];
  private readonly waitingShared: (() => void)[] = [];

  async shared<T>(fn: () => Promise<T>): Promise<T> {
    if (this.exclusiveHeld || this.waitingExclusive.length > 0) await new Promise<void>((go) => this.waitingShared.push(go));
    else this.sharedHolders++;
    try {
      return await fn();
    } finally {
      this.sharedHolders--;
      this.next();
    }
  }

  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.exclusiveHeld || this.sharedHolders > 0) await new Promise<void>((go) => this.waitingExclusive.push(go));
    else this.exclusiveHeld = true;
    try {
      return await fn();
    } finally {
      this.exclusiveHeld = false;
      this.next();
    }
  }

  /** Hands the gate on: to the next exclusive holder once nobody holds it, else to every waiting shared one. */
  private next(): void {
    if (this.exclusiveHeld) return;
    if (this.waitingExclusive.length > 0) {
      if (this.sharedHolders > 0) return;
      this.exclusiveHeld = true;
      this.waitingExclusive.shift()!();
      return;
    }
    while (this.waitingShared.length > 0) {
      this.sharedHolders++;
      this.waitingShared.shift()!();
    }
  }
}
