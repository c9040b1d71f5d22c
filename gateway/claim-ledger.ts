// What the recovery after a failed create needs to know from the process it runs in (the provider's session
// keeps it, resources/configuration/claims.ts): which objects are accounted for, and a way to check a name
// while no create of that name is in flight.
export interface ClaimLedger {
  /** Marks an object (token id, user identity id) as accounted for by this process. */
  claim(id: string): void;
  isClaimed(id: string): boolean;
  /** Runs a create of `name`; creates of one name may run together. */
  creating<T>(name: string, create: () => Promise<T>): Promise<T>;
  /** Runs `check` once no create of `name` is in flight, holding new ones back until it is done. */
  checking<T>(name: string, check: () => Promise<T>): Promise<T>;
}
