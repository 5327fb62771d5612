/// Checks the derivatives nabla computes for a graph against central differences in float64,
/// as JAX's `check_grads` does (`gradcheck` in the language).
///
/// For `y = g(x)` with inputs `x_i`, let `g₆₄` be `g` computed in float64 (``Widening``) and
/// `D_t g₆₄(x) = (g₆₄(x + ε t) − g₆₄(x − ε t)) / 2ε` its central difference along `t`, whose
/// error is `O(ε²)` (plus float64 rounding, about `10⁻¹⁶/ε`).
///
/// - Forward mode: for each differentiated input `x_i` and a random direction `t_i` (standard
///   normal, on `x_i` alone), the JVP `∂g/∂x_i · t_i` agrees with `D_{t_i} g₆₄(x)` in every
///   element.
/// - Reverse mode: for a random cotangent `u`, the VJP `(∂g/∂x_i)ᵀ u` agrees in every element
///   `j` with `⟨u, D_{e_j} g₆₄(x)⟩` (`e_j` the basis vector of element `j`) when `x_i` has at
///   most ``directLimit`` elements; a larger input is checked through the adjoint identity
///   `⟨(∂g/∂x_i)ᵀ u, t_i⟩ = ⟨u, ∂g/∂x_i · t_i⟩`, its right side `⟨u, D_{t_i} g₆₄(x)⟩`.
///
/// A value `a` of nabla's agrees with the numeric `n` when `|a − n| ≤ atol + rtol·|n|`, or both
/// are NaN; for the inner product `rtol` scales `Σ_k |u_k·(D_t g₆₄)_k|`, the size of the terms
/// it sums (a sum that cancels is only known to that precision). `order` 2 runs the same
/// checks on the derivative graphs, `(x, t) ↦ (g(x), ∂g·t)` for forward mode and
/// `(x, u) ↦ (g(x), ∂gᵀ·u)` for reverse mode, differentiated in all of their inputs at the
/// point `(x, t)` or `(x, u)`: second derivatives are checked against central differences of
/// first ones, recursively, as `check_grads` does.
///
/// nabla's side runs as nabla runs it (the derivative graph simplified, in the graph's own
/// dtypes, at the point rounded to them); only the numeric side is widened.
struct GradCheck {
  enum Mode: String, Sendable, CaseIterable {
    case fwd, rev
  }

  struct Settings: Sendable {
    /// 1: first derivatives; 2: also the derivatives of the derivative graphs.
    var order = 1
    var modes: [Mode] = [.fwd, .rev]
    /// The central differences' step.
    var eps = 1e-4
    /// `nil`: by dtype (``defaultTolerance(_:)``).
    var atol: Double?
    var rtol: Double?
  }

  /// A graph to check at a point, with names for the messages.
  struct Subject {
    var graph: Graph
    /// A value for each input, of the input's type.
    var point: [Tensor]
    /// The inputs that are differentiated (others, such as captured values, are held fixed).
    var differentiated: [Bool]
    /// Each input as messages name it: `'x' (argument 0)`.
    var inputNames: [String]
    /// Each output as messages name it: `the output`, `output[1]`.
    var outputNames: [String]

    func name(ofInput i: Int) -> String {
      inputNames.indices.contains(i) ? inputNames[i] : "input \(i)"
    }

    func name(ofOutput k: Int) -> String {
      outputNames.indices.contains(k) ? outputNames[k] : "output \(k)"
    }

    /// Whether each input is differentiated (one flag per input).
    var flags: [Bool] {
      graph.inputs.indices.map { differentiated.indices.contains($0) && differentiated[$0] }
    }

    /// The differentiated inputs' positions.
    var differentiatedInputs: [Int] { graph.inputs.indices.filter { flags[$0] } }
  }

  /// An input with more elements is checked in reverse mode by the adjoint identity rather
  /// than element by element (which costs two evaluations per element).
  static let directLimit = 128

  /// JAX's default tolerances for gradient checks (`default_gradient_tolerance`), used for
  /// both `atol` and `rtol`: 2·10⁻³ when nabla's side is computed in float32 (its rounding,
  /// about 6·10⁻⁸ per operation, grows through long derivative graphs), 10⁻⁵ in float64
  /// (the numeric side's `O(ε²)` truncation error stays below 10⁻⁸ for `ε = 10⁻⁴`).
  static func defaultTolerance(_ dtype: DType) -> Double {
    switch dtype {
    case .f32: 2e-3
    case .f64: 1e-5
    }
  }

  /// The dtype nabla computes `s`'s derivatives in: float32 when a differentiated input, an
  /// output or a value any equation computes is float32, else float64.
  static func precision(of s: Subject) -> DType {
    let g = s.graph
    let inputs = zip(g.inputs, s.differentiated).filter(\.1).map(\.0)
    let values = inputs + g.equations.map(\.output) + g.outputs
    return values.contains { g.type(of: $0).dtype == .f32 } ? .f32 : .f64
  }

  let settings: Settings
  /// How derivative and widened graphs are built (the session's).
  let options: GraphBuilder.Options
  /// Runs both sides (the session's memory limit and cancellation).
  let interpreter: Interpreter

  /// The worst disagreement of the first check that fails (forward before reverse mode,
  /// first derivatives before second), or `nil` when every check passes.
  func check(_ s: Subject) throws(Diagnostic) -> GradCheckFailure? {
    try check(s, path: [], remaining: max(1, settings.order))
  }

  private func check(_ s: Subject, path: [Mode], remaining: Int) throws(Diagnostic)
    -> GradCheckFailure?
  {
    let point = try Point(s, self)
    var derivatives: [(Subject, Mode)] = []
    if settings.modes.contains(.fwd) {
      if let failure = try forward(point, path: path + [.fwd]) { return failure }
      if remaining > 1 { derivatives.append((try point.jvpSubject(), .fwd)) }
    }
    if settings.modes.contains(.rev) {
      if let failure = try reverse(point, path: path + [.rev]) { return failure }
      if remaining > 1 { derivatives.append((try point.vjpSubject(), .rev)) }
    }
    for (d, mode) in derivatives {
      if let failure = try check(d, path: path + [mode], remaining: remaining - 1) {
        return failure
      }
    }
    return nil
  }

  // MARK: - Shared steps

  /// `atol` and `rtol` for a subject computed in `dtype`.
  func tolerances(_ dtype: DType) -> (atol: Double, rtol: Double) {
    (
      settings.atol ?? Self.defaultTolerance(dtype),
      settings.rtol ?? Self.defaultTolerance(dtype)
    )
  }

  /// Whether nabla's `a` agrees with the numeric `n` within `tolerance`.
  static func agrees(_ a: Double, _ n: Double, _ tolerance: Double) -> Bool {
    a == n || (a.isNaN && n.isNaN) || abs(a - n) <= tolerance
  }

  /// How far outside its tolerance a disagreement is (the worst is reported).
  static func excess(_ a: Double, _ n: Double, _ tolerance: Double) -> Double {
    let d = abs(a - n)
    guard d.isFinite, tolerance > 0 else { return .infinity }
    return d / tolerance
  }

  /// `⟨a, b⟩` over all elements of corresponding tensors, in float64.
  static func dot(_ a: [[Double]], _ b: [[Double]]) -> Double {
    var s = 0.0
    for (x, y) in zip(a, b) {
      for (p, q) in zip(x, y) { s += p * q }
    }
    return s
  }
}
