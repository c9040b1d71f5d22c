// The one "not configured" mechanism: what Configure produced, or why there is no session. Operations that
// need a session end with those reasons when there is none; nothing else fails early, so validation and
// plans whose provider configuration is not yet known still work.
import { type Diagnostic, DiagnosticError, error } from "../../schema/diagnostics";

export class SessionState<Session> {
  private session: Session | undefined;
  private reasons: Diagnostic[] = [
    error("Provider not configured", "Terraform called an operation before configuring the provider."),
  ];

  configured(session: Session): void {
    this.session = session;
  }

  /**
   * No session: every operation that needs one reports these. They surface from a resource or data source,
   * where a path would point into that object instead of the provider block: keep the words, drop the path.
   */
  unavailable(reasons: readonly Diagnostic[]): void {
    this.session = undefined;
    this.reasons = reasons.length > 0
      ? reasons.map(({ path: _path, ...rest }) => rest)
      // Never empty: an operation ending without an error and without a value would read as "the object is gone".
      : [error("Provider not configured", "Configuring the provider produced no session and no error. This is a bug in the provider.")];
  }

  /** The session, or a DiagnosticError with the reasons there is none. */
  require(): Session {
    if (this.session === undefined) throw new DiagnosticError(...this.reasons);
    return this.session;
  }

  /** The session when there is one; for checks that simply do not apply without it. */
  current(): Session | undefined {
    return this.session;
  }
}
