/// A picture a statement computed: curves of functions or data (`plot`), a heat map of a
/// matrix (`heatmap`), or the pattern of a matrix's non-zero entries (`spy`).
///
/// A figure is a value like a tuple: it holds tensors, traced while its statement is traced
/// and concrete once the statement has run, so the samples of `plot(f, a, b)` are computed
/// by the same graph as the rest of the statement. Printing draws it on a text canvas
/// (``FigureText``), `save("….svg", …)` writes it as SVG (``FigureSVG``), and `--format json`
/// gives its data (``FigureData``).
public struct Figure: Sendable {
  public enum Kind: Sendable, Equatable {
    /// Curves `y_k(x)`: the data are the abscissae, then one tensor of ordinates per curve.
    case lines
    /// A matrix's values on a colour scale centred at 0: the data are the matrix.
    case heatmap
    /// The positions of a matrix's non-zero entries: the data are the matrix.
    case spy
  }

  /// How a curve is stroked: a function solid, its derivative dashed, its second derivative
  /// dotted, so the curves stay apart without colour.
  public enum Dash: Sendable, Equatable {
    case solid, dashed, dotted
  }

  /// One curve of a ``Kind/lines`` figure.
  public struct Curve: Sendable, Equatable {
    /// What the legend calls it: `f(x) = sin(x)`, `f′(x) = cos(x)`, `y`.
    public var label: String
    public var dash: Dash
  }

  public var kind: Kind
  /// The tensors drawn (see ``Kind``).
  public var data: [Value]
  /// The curves of a ``Kind/lines`` figure, one per tensor after the abscissae.
  public var curves: [Curve]
  /// The range of ordinates shown (`ylim=`); `nil` chooses it from the values.
  public var yLimits: ClosedRange<Double>?
  /// Whether the curves are samples of functions (`plot(f, a, b)`), so spikes beside poles
  /// may be left out of the range shown and lines are not drawn across poles; data are drawn
  /// as they are.
  public var isSampled: Bool

  public init(
    kind: Kind, data: [Value], curves: [Curve] = [], yLimits: ClosedRange<Double>? = nil,
    isSampled: Bool = false
  ) {
    self.kind = kind
    self.data = data
    self.curves = curves
    self.yLimits = yLimits
    self.isSampled = isSampled
  }

  /// Which curves are derivatives (dashed or dotted).
  var derivatives: [Bool] { curves.map { $0.dash != .solid } }

  /// The figure's tensors once its statement has run (`nil` while any is still traced).
  var tensors: [Tensor]? {
    var out: [Tensor] = []
    for v in data {
      guard case .tensor(let t) = v else { return nil }
      out.append(t)
    }
    return out
  }

  /// The matrix of a ``Kind/spy`` figure once its statement has run (`nil` while traced).
  var spyMatrix: SpyMatrix? {
    guard kind == .spy, let first = data.first else { return nil }
    switch first {
    case .tensor(let t): return SpyMatrix(dense: t)
    case .sparse(let s):
      guard case .tensor(let values) = s.values else { return nil }
      return SpyMatrix(sparse: s, values: values)
    default: return nil
    }
  }

  /// The shapes of the data, traced or concrete.
  private var shapes: [[Int]] {
    data.map { v in
      switch v {
      case .tensor(let t): t.shape
      case .traced(let t): t.type.shape
      case .sparse(let s): [s.pattern.rows, s.pattern.columns]
      case .int, .bool, .none, .string, .tuple, .function, .figure: []
      }
    }
  }

  /// How the REPL echoes it: `plot of 2 curves, 146 points`, `heatmap of 16×16`.
  public var summary: String {
    let shape = shapes.first ?? []
    let size = shape.map(String.init).joined(separator: "×")
    switch kind {
    case .lines:
      let n = curves.count
      return "plot of \(n) curve\(n == 1 ? "" : "s"), \(shape.first ?? 0) points"
    case .heatmap: return "heatmap of \(size)"
    case .spy: return "spy of \(size)"
    }
  }

  /// The same figure with its data replaced.
  func replacingData(_ data: [Value]) -> Figure {
    var f = self
    f.data = data
    return f
  }
}
