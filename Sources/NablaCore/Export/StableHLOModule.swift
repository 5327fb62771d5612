/// A statement's optimised graph as a StableHLO module in MLIR text: one public
/// `func.func @main` that XLA compiles and runs (`scripts/run-stablehlo`).
///
/// Its arguments are the graph's inputs, in the order the statement first reads them (the
/// session's tensors, random draws made while tracing), each named by a `nabla.name`
/// attribute where it has one, then the constants larger than ``inlineLimit`` (named
/// `constant k`); smaller constants are written into the module. Its results are the
/// statement's tensors, a tuple flattened depth-first: each result's `nabla.result` attribute
/// gives its place (`[1][0]`: item 0 of item 1), and the module's `nabla.structure` the
/// whole shape, result numbers in the value's parentheses.
public struct StableHLOModule: Sendable {
  /// The module's text.
  public var text: String
  /// The values of `main`'s arguments, in order (what the module runs on when nabla
  /// evaluates the statement).
  public var arguments: [Tensor]

  /// Constants with more bytes than this are arguments of `main` instead of literals.
  public static let inlineLimit = 1 << 20

  /// One result of `main`: a value of the graph, or a tensor known while tracing.
  enum Leaf {
    case value(Var)
    case constant(Tensor)
  }

  /// The module of a compiled statement; `inputNames[i]` names input `i` where it has one.
  static func make(
    _ c: CompiledExpression, inputNames: [Int: String], source: String, devices: Int = 1
  ) throws(Diagnostic) -> StableHLOModule {
    guard c.saves.isEmpty else {
      throw Diagnostic(
        .exportRefused(
          "'save'", reason: "it writes a file when nabla runs the statement",
          help: "save the value with nabla, or export the statement without save"), at: c.range)
    }
    var leaves: [(leaf: Leaf, path: String, kind: ElementKind)] = []
    let structure = try flatten(c.template, path: "", c, into: &leaves)
    return try make(
      c.graph, arguments: c.inputs, inputNames: inputNames, results: leaves,
      structure: structure, source: source, devices: devices)
  }

  /// The module of a graph run on `arguments`, returning its outputs in order.
  static func make(
    _ graph: Graph, arguments: [Tensor], source: String, devices: Int = 1
  ) throws(Diagnostic) -> StableHLOModule {
    let leaves = graph.outputs.enumerated().map { k, v in
      (leaf: Leaf.value(v), path: "[\(k)]", kind: ElementKind.float)
    }
    return try make(
      graph, arguments: arguments, inputNames: [:], results: leaves,
      structure: "(" + leaves.indices.map(String.init).joined(separator: ", ") + ")",
      source: source, devices: devices)
  }

  private static func make(
    _ graph: Graph, arguments: [Tensor], inputNames: [Int: String],
    results leaves: [(leaf: Leaf, path: String, kind: ElementKind)], structure: String,
    source: String, devices: Int
  ) throws(Diagnostic) -> StableHLOModule {
    var builder = Builder(graph: graph)
    for (i, v) in graph.inputs.enumerated() {
      builder.addArgument(v, name: inputNames[i], value: arguments[i])
    }
    try builder.lower()
    var results: [(name: String, type: TensorType, path: String, kind: ElementKind)] = []
    for (leaf, path, kind) in leaves {
      switch leaf {
      case .value(let v):
        results.append((try builder.name(of: v), graph.type(of: v), path, kind))
      case .constant(let t): results.append((builder.literal(t), t.type, path, kind))
      }
    }
    return builder.module(
      results: results, structure: structure, source: source, devices: devices)
  }

  /// The value's tensor leaves in order, with their places; returns the structure text.
  private static func flatten(
    _ v: Value, path: String, _ c: CompiledExpression,
    into leaves: inout [(leaf: Leaf, path: String, kind: ElementKind)]
  ) throws(Diagnostic) -> String {
    switch v {
    case .traced(let t):
      guard let k = c.results.firstIndex(of: t.v), c.graph.outputs.indices.contains(k) else {
        throw Diagnostic(
          .internalError("an exported result is not an output of its graph"), at: c.range)
      }
      leaves.append((.value(c.graph.outputs[k]), path, t.kind))
      return "\(leaves.count - 1)"
    case .tensor(let t):
      leaves.append((.constant(t), path, t.kind))
      return "\(leaves.count - 1)"
    case .tuple(let items):
      var parts: [String] = []
      for (i, item) in items.enumerated() {
        parts.append(try flatten(item, path: path + "[\(i)]", c, into: &leaves))
      }
      return "(" + parts.joined(separator: ", ") + (items.count == 1 ? ",)" : ")")
    case .int, .bool, .none, .string, .function, .figure, .sparse:
      throw Diagnostic(
        .exportRefused(
          v.typeDescription, reason: "a module's results are tensors",
          help: "export an expression whose value is a tensor or a tuple of tensors"), at: c.range)
    }
  }
}
