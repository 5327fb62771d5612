extension StableHLOModule {
  /// Writes `main`: names the graph's values, lowers its equations in order, and assembles
  /// the module text.
  struct Builder {
    let graph: Graph
    var writer = StableHLOWriter()
    /// The SSA name of every value written so far.
    private var names: [Var: String] = [:]
    private var arguments: [(type: TensorType, name: String?, value: Tensor)] = []

    init(graph: Graph) { self.graph = graph }

    mutating func addArgument(_ v: Var, name: String?, value: Tensor) {
      names[v] = "%arg\(arguments.count)"
      arguments.append((graph.type(of: v), name, value))
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
        arguments.append((t.type, "constant \(arguments.count)", t))
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

    /// The module's text, with `main` returning `results`, for `devices` devices
    /// (``StableHLOSharding`` when more than one).
    func module(
      results: [(name: String, type: TensorType, path: String, kind: ElementKind)],
      structure: String, source: String, devices: Int
    ) -> StableHLOModule {
      let sharded = devices > 1
      let parameters = arguments.enumerated().map { i, a in
        var attributes = a.name.map { ["nabla.name = \(MLIRText.quoted($0))"] } ?? []
        if sharded {
          attributes.append("mhlo.sharding = \(MLIRText.quoted(StableHLOSharding.replicated))")
        }
        let list = attributes.isEmpty ? "" : " {\(attributes.joined(separator: ", "))}"
        return "%arg\(i): \(MLIRText.type(a.type))\(list)"
      }
      let resultTypes = results.map { r in
        var attributes = ["nabla.result = \(MLIRText.quoted("result" + r.path))"]
        if r.kind != .float {
          attributes.append("nabla.kind = \(MLIRText.quoted(r.kind.dtypeName(r.type.dtype)))")
        }
        if sharded {
          let sharding = StableHLOSharding.result(r.type.shape, devices: devices)
          attributes.append("mhlo.sharding = \(MLIRText.quoted(sharding))")
        }
        return "\(MLIRText.type(r.type)) {\(attributes.joined(separator: ", "))}"
      }
      var text =
        "// nabla --emit=stablehlo: \(source.split(separator: "\n").joined(separator: " "))\n"
      text += "// arguments: the statement's inputs in the order it first reads them, then "
      text += "constants over 1 MiB\n"
      text += "// results: the value's tensors, depth-first; nabla.result is each one's place\n"
      text +=
        "module @nabla attributes {mhlo.num_partitions = \(devices) : i32, mhlo.num_replicas = 1 : i32, "
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
