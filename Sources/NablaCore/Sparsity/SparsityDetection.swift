/// The sparsity pattern of a graph's Jacobian, found from the graph alone (global sparsity):
/// each differentiated input element starts a set of its own, and the primitives' dependency
/// rules (``PrimitiveRule/dependencies(_:output:limits:)``) carry the sets to the outputs. The
/// pattern holds for every input value; constants' zeros are used, inputs' values are not.
enum SparsityDetection {
  /// The pattern of the Jacobian of `graph`'s first `outputs` outputs (their elements one
  /// after another, as rows) with respect to its inputs numbered `wrt` (their elements one
  /// after another, as columns), or ``DenseDependence`` when some value depends on more than
  /// `limits` allow.
  static func jacobianPattern(
    _ graph: Graph, outputs: Int, wrt: [Int], limits: DependencyLimits
  )
    throws(DenseDependence) -> SparsityPattern
  {
    var sets: [Var: DependencySets] = [:]
    var columns = 0
    for (k, v) in graph.inputs.enumerated() {
      let n = graph.type(of: v).count
      if wrt.contains(k) {
        sets[v] = .identity(count: n, offset: columns)
        columns += n
      }
    }
    var lastUse: [Var: Int] = [:]
    for (e, eq) in graph.equations.enumerated() { for v in eq.inputs { lastUse[v] = e } }
    let kept = Set(graph.outputs)
    func operand(_ v: Var) -> DependencyOperand {
      let type = graph.type(of: v)
      return DependencyOperand(
        sets: sets[v] ?? .none(count: type.count), type: type, values: graph.constants[v])
    }
    for (e, eq) in graph.equations.enumerated() {
      let output = graph.type(of: eq.output)
      sets[eq.output] = try eq.primitive.rule.dependencies(
        eq.inputs.map(operand), output: output, limits: limits)
      for v in eq.inputs where lastUse[v] == e && !kept.contains(v) { sets[v] = nil }
    }
    var rows = DependencySetsBuilder(limits: .unlimited, capacity: 0)
    for v in graph.outputs.prefix(outputs) {
      let s = operand(v).sets
      for i in 0..<s.count { try rows.append(s[i]) }
    }
    return SparsityPattern(rows.sets, columns: columns)
  }
}
