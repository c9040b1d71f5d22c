// The one "not configured" mechanism: operations that need the session end with the reasons there is none.
import { SessionState } from "../../../provider/core/session-state";
import { DiagnosticError, error } from "../../../schema/diagnostics";

describe("SessionState", () => {
  it("reports why it is unusable when an operation needs the Gateway, without provider-block paths", () => {
    const state = new SessionState<object>();
    state.unavailable([error("No agyn Gateway configured", "Set gateway …", [{ attr: "gateway" }])]);
    expect(state.current()).toBeUndefined();
    try {
      state.require();
      throw new Error("expected a DiagnosticError");
    } catch (err) {
      expect(err).toBeInstanceOf(DiagnosticError);
      const [d] = (err as DiagnosticError).diagnostics;
      expect(d.summary).toBe("No agyn Gateway configured");
      // A path here would be read relative to the resource or data source that needed the Gateway.
      expect(d.path).toBeUndefined();
    }
  });

  it("before Configure, says Terraform has not configured it; after, hands out the session", () => {
    const state = new SessionState<{ id: number }>();
    expect(() => state.require()).toThrow("Provider not configured");
    state.configured({ id: 1 });
    expect(state.require()).toEqual({ id: 1 });
    expect(state.current()).toEqual({ id: 1 });
  });

  it("never keeps an empty list of reasons: that would read as success", () => {
    const state = new SessionState<object>();
    state.unavailable([]);
    expect(() => state.require()).toThrow(DiagnosticError);
  });
});
