/// Prints a graph in a jaxpr-like text form, for `--graph` and `:graph`:
///
///     { lambda a:f32[16,16] b:f32[16] c:f32[16] .
///       let d:f32[16] = matmul a c
///           e:f32[16] = add d b
///           f:f32[16] = tanh e
///       in ( f ) }
///
/// Constants of up to ``shownConstantCount`` elements show their values.
public enum GraphPrinter {
  /// Constants with at most this many elements are printed with their values.
  static let shownConstantCount = 8

  public static func print(_ graph: Graph) -> String {
    let names = VarNames(graph)
    func typed(_ v: Var) -> String { "\(names[v]):\(graph.type(of: v))" }

    var out = "{ lambda " + graph.inputs.map(typed).joined(separator: " ") + " .\n"
    var lines: [String] = []
    for (v, t) in graph.constants.sorted(by: { $0.key < $1.key }) {
      lines.append("\(typed(v)) = const \(constantText(t))")
    }
    for eq in graph.equations {
      let args = eq.inputs.map { names[$0] }.joined(separator: " ")
      lines.append(
        "\(typed(eq.output)) = \(eq.primitive.kind.rawValue)\(eq.primitive.parameterText) \(args)")
    }
    for (i, line) in lines.enumerated() {
      out += (i == 0 ? "  let " : "      ") + line + "\n"
    }
    out += "  in ( " + graph.outputs.map { names[$0] }.joined(separator: " ") + " ) }"
    return out
  }

  /// What `--graph` shows for a compiled statement in `style`: the optimised graph and its
  /// predicted peak memory, the graph as traced, or the optimised graph in DOT.
  public static func show(_ compiled: CompiledExpression, _ style: GraphStyle) -> String {
    switch style {
    case .text:
      let peak = compiled.plan.peakBytes.map(ByteCount.text) ?? "more than can be counted"
      return print(compiled.graph) + "\n# peak memory \(peak)"
    case .raw: return print(compiled.rawGraph)
    case .dot: return dot(compiled.graph)
    }
  }

  /// A constant's values when it is small (`[1, 2, 3]`, nested by rows), else its type.
  static func constantText(_ t: Tensor) -> String {
    guard t.count <= shownConstantCount else { return "\(t.type)" }
    return t.nestedText { t.dtype == .f64 ? "\($0)" : "\(Float($0))" }
  }
}

/// JAX's names for a graph's values in order of definition: a, b, …, z, ba, bb, ….
struct VarNames {
  private var names: [Var: String] = [:]

  init(_ graph: Graph) {
    for v in graph.inputs + graph.constants.keys.sorted() + graph.equations.map(\.output) {
      names[v] = Self.letters(names.count)
    }
  }

  subscript(_ v: Var) -> String { names[v] ?? "?\(v.id)" }

  private static func letters(_ n: Int) -> String {
    let alphabet = Array("abcdefghijklmnopqrstuvwxyz")
    var n = n
    var s = String(alphabet[n % 26])
    n /= 26
    while n > 0 {
      s = String(alphabet[n % 26]) + s
      n /= 26
    }
    return s
  }
}
