import Testing

@testable import NablaCore

/// Runs a float64 program whose statements are `assert`s, expecting it to succeed.
func expectAssertsHold(_ program: String, sourceLocation: SourceLocation = #_sourceLocation) {
  let run = Run(program, dtype: .f64, seed: 0)
  #expect(run.status == 0, "\(run.diagnostics)", sourceLocation: sourceLocation)
}

/// The diagnostics of a float32 program expected to stop with an error.
func errorText(_ program: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
  let run = Run(program)
  #expect(run.status != 0, "\(program) ran", sourceLocation: sourceLocation)
  return run.diagnostics
}
