/// The worst disagreement a ``GradCheck`` found between nabla's derivative and central
/// differences.
struct GradCheckFailure: Sendable, Equatable {
  /// Where the disagreement is.
  enum Place: Sendable, Equatable {
    /// Element `index` (flat, row-major) of the JVP of output `output` along the input
    /// (forward mode).
    case jvpElement(Int, output: String)
    /// Element `index` (flat, row-major) of the VJP for the input (reverse mode).
    case vjpElement(Int)
    /// The inner product `⟨VJP for the input, t⟩` against `⟨u, JVP along t⟩` (reverse mode, for
    /// inputs too large to difference element by element).
    case innerProduct
  }

  /// The modes from the first derivative taken to the last: `[rev, fwd]` is forward mode
  /// applied to the reverse-mode derivative (JAX's "JVP of VJP"). Its length is the order.
  var modes: [GradCheck.Mode]
  /// The differentiated input, as messages name it: `'x' (argument 0)`.
  var input: String
  var place: Place
  /// nabla's value.
  var analytic: Double
  /// The central differences' value.
  var numeric: Double
  /// `atol + rtol·|numeric|` (for the inner product, `rtol` scales `Σ |u_k·(J t)_k|`).
  var tolerance: Double

  var order: Int { modes.count }

  /// `fwd`, `rev`, `fwd of rev`: the last mode applied first, as JAX words it.
  var modeText: String { modes.reversed().map(\.rawValue).joined(separator: " of ") }

  /// The message: mode, order, input, element, both values and the tolerance.
  var text: String {
    let a = Self.number(analytic)
    let n = Self.number(numeric)
    let what: String
    switch place {
    case .jvpElement(let i, let output):
      what =
        "element \(i) of the JVP of \(output) along \(input) is \(a), central differences give \(n)"
    case .vjpElement(let i):
      what = "element \(i) of the VJP for \(input) is \(a), central differences give \(n)"
    case .innerProduct:
      what = "⟨VJP for \(input), t⟩ is \(a), central differences give ⟨u, J·t⟩ = \(n)"
    }
    return "mode \(modeText), order \(order): \(what) (tolerance \(Self.number(tolerance)))"
  }

  /// Seven significant digits.
  static func number(_ x: Double) -> String {
    x.isNaN ? "nan" : CFormat.format("%.7g", x)
  }
}
