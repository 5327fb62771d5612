/// A graph's computation carried out in float64: the reference side of a gradient check.
///
/// Every input and constant becomes float64 (exactly: float32 values are float64 values), and
/// every equation is emitted again on the widened operands, so each value `v` of the result
/// is the float64 evaluation of the same formula as `v` of the original. A conversion is the
/// identity on a float64 operand, so `convert[f32]` keeps float64 too: the widened graph
/// rounds nowhere to float32. A call of a function with custom derivative rules is replaced by
/// its function's equations, widened (the numeric side only evaluates).
enum Widening {
  /// `g` with float64 inputs, constants and values; inputs and outputs keep their order and
  /// shapes.
  static func float64(_ g: Graph, options: GraphBuilder.Options = .init()) throws(Diagnostic)
    -> Graph
  {
    let b = GraphBuilder(options)
    let inputs = g.inputs.map { b.input(TensorType(.f64, g.type(of: $0).shape)) }
    var walk = try GraphWalk(g, into: b, inputs: inputs)
    for (v, t) in g.constants.sorted(by: { $0.key < $1.key }) where t.dtype != .f64 {
      walk.bind(v, try b.constant(t.converted(to: .f64)))
    }
    try walk.reemit { eq, operands throws(Diagnostic) in
      if case .convert = eq.primitive, let operand = operands.first { return operand }
      if let (function, output) = eq.primitive.heldFunction {
        // a call of a function with custom rules is its function's formula, widened too
        let widened = try float64(function, options: options)
        let inputs = Array(operands.prefix(function.inputs.count))
        return try widened.inlined(into: b, inputs)[output]
      }
      return try b.emit(eq.primitive, operands, source: eq.source)
    }
    return b.finish(outputs: try walk.outputs())
  }
}
