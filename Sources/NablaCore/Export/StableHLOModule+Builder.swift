extension StableHLOModule {
  /// Writes `main`: names the graph's values, lowers its equations in order, and assembles
  /// the module text.
  struct Builder {
    let graph: Graph
    var writer = StableHLOWriter()
    /// The SSA name of every value written so far.
    private var names: [Var: String] = [:]
    private var arguments: [(type: TensorType, attribute: String, value: Tensor)] = []

    init(graph: Graph) { self.graph = graph }

    mutating func addArgument(_ v: Var, name: String?, value: Tensor) {
      names[v] = "%arg\(arguments.count)"
      let attribute = name.map { " {nabla.name = \(MLIRText.quoted($0))}" } ?? ""
      arguments.append((graph.type(of: v), attribute, value))
    }

    /// The SSA name of `v`: an argument, an equation's result, or a constant, written (or
    /// made an argument, when large) on first use.
    mutating func name(of v: Var) throws(Diagnostic) -> String {
      if let n = names[v] { return n }
      guard let t = graph.constants[v] else {
        throw Diagnostic(.internalError("exporting a value no equation defines"), at: nil)
      }
      let n: String
      if t.count * t.dtype.byteSize > StableHLOModule.inlineLimit {
        n = "%arg\(arguments.count)"
        arguments.append((t.type, " {nabla.name = \"constant \(arguments.count)\"}", t))
      } else {
        n = literal(t)
      }
      names[v] = n
      return n
    }

    /// A tensor written into the module.
    mutating func literal(_ t: Tensor) -> String { writer.constant(t) }

    /// Every equation, in the graph's order.
    mutating func lower() throws(Diagnostic) {
      for e in graph.equations {
        var operands: [StableHLOLowering.Operand] = []
        for v in e.inputs { operands.append(.init(name: try name(of: v), type: graph.type(of: v))) }
        names[e.output] = try e.primitive.stableHLO.write(
          &writer, operands, graph.type(of: e.output), primitive: e.primitive.kind.rawValue,
          range: e.source)
      }
    }

    /// The module's text, with `main` returning `results`.
    func module(
      results: [(name: String, type: TensorType, path: String, kind: ElementKind)],
      structure: String, source: String
    ) -> StableHLOModule {
      let parameters = arguments.enumerated().map { i, a in
        "%arg\(i): \(MLIRText.type(a.type))\(a.attribute)"
      }
      let resultTypes = results.map { r in
        let kind =
          r.kind == .float
          ? "" : ", nabla.kind = \(MLIRText.quoted(r.kind.dtypeName(r.type.dtype)))"
        return
          "\(MLIRText.type(r.type)) {nabla.result = \(MLIRText.quoted("result" + r.path))\(kind)}"
      }
      var text =
        "// nabla --emit=stablehlo: \(source.split(separator: "\n").joined(separator: " "))\n"
      text += "// arguments: the statement's inputs in the order it first reads them, then "
      text += "constants over 1 MiB\n"
      text += "// results: the value's tensors, depth-first; nabla.result is each one's place\n"
      text +=
        "module @nabla attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32, "
      text += "nabla.structure = \(MLIRText.quoted(structure))} {\n"
      text += "  func.func public @main(\(parameters.joined(separator: ", "))) -> ("
      text += resultTypes.joined(separator: ", ") + ") {\n"
      for line in writer.lines { text += "    \(line)\n" }
      text += "    return \(results.map(\.name).joined(separator: ", "))"
      if !results.isEmpty {
        text += " : \(results.map { MLIRText.type($0.type) }.joined(separator: ", "))"
      }
      text += "\n  }\n}\n"
      return StableHLOModule(text: text, arguments: arguments.map(\.value))
    }
  }
}
