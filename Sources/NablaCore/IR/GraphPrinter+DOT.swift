extension GraphPrinter {
  /// Source text longer than this is cut in a node's label.
  static let labelSourceLength = 40

  /// The graph in Graphviz's DOT language, for `--graph=dot`: inputs as ellipses, constants as
  /// notes, each equation a box labelled with its value, its primitive and the source text it
  /// came from (`line:column`); an equation a derivative rule wrote is filled and says which
  /// (`derivative of tanh`, `chain rule of tanh`, with its order above the first); outputs are
  /// drawn with a double outline. Values are named as in the text form, so the two read side
  /// by side.
  public static func dot(_ graph: Graph) -> String {
    let names = VarNames(graph)
    func id(_ v: Var) -> String { quoted(names[v]) }
    func typed(_ v: Var) -> String { "\(names[v]):\(graph.type(of: v))" }

    var out = "digraph nabla {\n"
    out += "  node [shape=box, fontname=\"monospace\", fontsize=10];\n"
    out += "  edge [arrowsize=0.6];\n"
    for v in graph.inputs {
      out += "  \(id(v)) [shape=ellipse, label=\(quoted(typed(v)))];\n"
    }
    for (v, t) in graph.constants.sorted(by: { $0.key < $1.key }) {
      out += "  \(id(v)) [shape=note, label=\(quoted(typed(v) + " = " + constantText(t)))];\n"
    }
    for eq in graph.equations {
      var label = "\(typed(eq.output)) = \(eq.primitive.kind.rawValue)\(eq.primitive.parameterText)"
      if let source = eq.source { label += "\n" + sourceLabel(source) }
      var style = ""
      if let d = eq.provenance.derivation {
        let part = d.part == .derivative ? "derivative" : "chain rule"
        label += "\n\(part) of \(d.primitive.rawValue)" + (d.order > 1 ? ", order \(d.order)" : "")
        style = ", style=filled, fillcolor=\"\(d.part == .derivative ? "#dbe8f7" : "#f7e8d0")\""
      }
      out += "  \(id(eq.output)) [label=\(quoted(label))\(style)];\n"
      for input in eq.inputs { out += "  \(id(input)) -> \(id(eq.output));\n" }
    }
    for v in Set(graph.outputs).sorted() { out += "  \(id(v)) [peripheries=2];\n" }
    return out + "}"
  }

  /// `line:column  text` of a source range, the text on one line and cut to
  /// ``labelSourceLength`` characters.
  static func sourceLabel(_ range: SourceRange) -> String {
    let (line, column) = range.file.location(of: range.start)
    var text = range.file.text(of: range).split(whereSeparator: \.isNewline).joined(separator: " ")
    if text.count > labelSourceLength { text = text.prefix(labelSourceLength - 1) + "…" }
    return "\(line):\(column)  \(text)"
  }

  /// A DOT string literal.
  static func quoted(_ s: String) -> String {
    var out = "\""
    for c in s {
      switch c {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      default: out.append(c)
      }
    }
    return out + "\""
  }
}
