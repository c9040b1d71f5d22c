import { AgynSession } from "../../resources/configuration/session";
import { DiagnosticError, error } from "../../schema/diagnostics";

describe("AgynSession", () => {
  it("reports why it is unusable when an operation needs the Gateway, without provider-block paths", () => {
    const session = AgynSession.unusable([error("No agyn Gateway configured", "Set gateway …", [{ attr: "gateway" }])]);
    try {
      session.gateway();
      throw new Error("expected a DiagnosticError");
    } catch (err) {
      expect(err).toBeInstanceOf(DiagnosticError);
      const [d] = (err as DiagnosticError).diagnostics;
      expect(d.summary).toBe("No agyn Gateway configured");
      // A path here would be read relative to the resource or data source that needed the Gateway.
      expect(d.path).toBeUndefined();
    }
  });
});
