/// Prints a graph in a jaxpr-like text form, for `--graph` and `:graph`:
///
///     { lambda a:f32[16,16] b:f32[16] c:f32[16] .
///       let d:f32[16] = matmul a c
///           e:f32[16] = add d b
///           f:f32[16] = tanh e
///       in ( f ) }
public enum GraphPrinter {
  public static func print(_ graph: Graph) -> String {
    var names: [Var: String] = [:]
    func name(_ v: Var) -> String {
      if let n = names[v] { return n }
      let n = letters(names.count)
      names[v] = n
      return n
    }
    func typed(_ v: Var) -> String { "\(name(v)):\(graph.type(of: v))" }

    var out = "{ lambda " + graph.inputs.map(typed).joined(separator: " ") + " .\n"
    var lines: [String] = []
    for (v, t) in graph.constants.sorted(by: { $0.key < $1.key }) {
      let shown = t.count == 1 ? String(describing: t[flat: 0]) : "\(t.type)"
      lines.append("\(typed(v)) = const \(shown)")
    }
    for eq in graph.equations {
      let args = eq.inputs.map(name).joined(separator: " ")
      lines.append(
        "\(typed(eq.output)) = \(eq.primitive.kind.rawValue)\(eq.primitive.parameterText) \(args)")
    }
    for (i, line) in lines.enumerated() {
      out += (i == 0 ? "  let " : "      ") + line + "\n"
    }
    out += "  in ( " + graph.outputs.map(name).joined(separator: " ") + " ) }"
    return out
  }

  /// a, b, …, z, ba, bb, … (JAX's naming).
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
