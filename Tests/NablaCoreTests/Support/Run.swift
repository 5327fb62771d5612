import Testing

@testable import NablaCore

/// Runs nabla programs in a fresh session and returns what they printed and computed.
struct Run {
  var values = ""
  var diagnostics = ""
  var status: Int32 = 0
  var value: Value?
  var diagnostic: Diagnostic?
  let dtype: DType

  /// Runs `program`; transforms run in the mode they name (`choosesJacobianMode` off) unless
  /// `configure` says otherwise, so a test of `jacfwd` tests forward mode.
  init(
    _ program: String, dtype: DType = .f32, format: OutputFormat = .pretty, seed: Int64? = nil,
    configure: (inout SessionOptions) -> Void = { _ in }
  ) {
    self.dtype = dtype
    var options = SessionOptions()
    options.dtype = dtype
    options.format = format
    options.memoryLimit = 1 << 30
    options.choosesJacobianMode = false
    configure(&options)
    let session = Session(options: options)
    if let seed { session.seed(seed) }
    var out = ""
    var err = ""
    session.output = { stream, text in
      if stream == .values { out += text } else { err += text }
    }
    status = session.run(SourceFile(name: "<test>", text: program))
    values = out
    diagnostics = err
    value = session.lastValue
    diagnostic = status == 0 ? nil : session.lastDiagnostic
  }

  /// The last expression's value as a tensor (an integer or a tuple of integers, such as a
  /// shape, becomes one in the run's dtype), failing the test otherwise.
  func tensor(sourceLocation: SourceLocation = #_sourceLocation) throws -> Tensor {
    if case .int(let n)? = value { return Tensor(scalar: Double(n), dtype: dtype) }
    if case .tuple(let items)? = value {
      let ints = items.compactMap { if case .int(let n) = $0 { Double(n) } else { nil } }
      if ints.count == items.count {
        return Tensor(shape: [ints.count], values: ints, dtype: dtype)
      }
    }
    guard case .tensor(let t)? = value else {
      Issue.record(
        "expected a tensor, got \(String(describing: value)); \(diagnostics)",
        sourceLocation: sourceLocation)
      throw Failure()
    }
    return t
  }

  struct Failure: Error {}
}

/// Checks that `actual` equals `expected` element by element within `rtol·|e| + atol`,
/// printing both side by side when not.
func expectClose(
  _ actual: Tensor, _ expected: [Double], shape: [Int]? = nil, rtol: Double? = nil,
  atol: Double? = nil,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let r = rtol ?? (actual.dtype == .f32 ? 2e-6 : 1e-12)
  let a = atol ?? (actual.dtype == .f32 ? 1e-6 : 1e-12)
  if let shape { #expect(actual.shape == shape, sourceLocation: sourceLocation) }
  let values = actual.doubles
  guard values.count == expected.count else {
    Issue.record(
      "expected \(expected.count) values, got \(values.count): \(values)",
      sourceLocation: sourceLocation)
    return
  }
  for (i, (x, e)) in zip(values, expected).enumerated() {
    let ok = (x.isNaN && e.isNaN) || x == e || abs(x - e) <= a + r * abs(e)
    if !ok {
      Issue.record(
        "element \(i): expected \(e), got \(x)\nexpected \(expected)\nactual   \(values)",
        sourceLocation: sourceLocation)
      return
    }
  }
}
