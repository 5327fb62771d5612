/// Values computed while a statement is traced, for a built-in that needs numbers rather than
/// graph values (`gradcheck` compares derivatives at a point).
extension Tracer {
  /// The tensors `values` stand for, computed now from the statement's inputs and constants.
  ///
  /// Only a statement's own trace knows all of its inputs: inside a transformed function
  /// (`grad(x -> gradcheck(f, x))`) the values depend on arguments not yet known, so `what`
  /// (the built-in, for the message) cannot be used there.
  func concreteValues(_ values: [Traced], _ range: SourceRange, what: String)
    throws(Diagnostic) -> [Tensor]
  {
    guard parent == nil else {
      throw Diagnostic(.notCallableHere("\(what) inside a transformed function"), at: range)
    }
    guard values.allSatisfy({ $0.builder == builder.id }) else {
      throw Diagnostic(.internalError("\(what): a value of another trace"), at: range)
    }
    let graph = builder.finish(outputs: values.map(\.v))
    let interpreter = Interpreter(
      memoryLimit: session.options.memoryLimit, cancellation: session.cancellation)
    return try interpreter.run(graph, inputs: inputTensors)
  }
}
