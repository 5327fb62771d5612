extension Session {
  /// The graph of a function value: `f` traced on symbolic arguments of `types` (scalars of
  /// the session's dtype when `nil`), as traced and as optimised, with the value it returned
  /// (its tensors the graphs' outputs, in order). The session's tensors are
  /// constants of the graph, not inputs; random draws made while tracing are undone. Used to
  /// print a function as a formula and by `:graph f`.
  func traceFunction(_ f: Function, argumentTypes types: [TensorType]?) throws(Diagnostic) -> (
    raw: Graph, optimised: Graph, result: Value
  ) {
    guard let names = FormulaPrinter.parameterNames(f) else {
      throw Diagnostic(
        .invalidArgument(
          f.description, "a function without fixed parameters cannot be traced alone"),
        at: nil)
    }
    let types = types ?? Array(repeating: TensorType(options.dtype, []), count: names.count)
    guard types.count == names.count else {
      throw Diagnostic(
        .argumentCount(f.description, expected: "\(names.count) arguments", got: types.count),
        at: nil)
    }
    let file = SourceFile(name: "<function>", text: f.description)
    let range = SourceRange(file: file, start: 0, end: file.text.utf8.count)
    let generator = self.generator
    defer { self.generator = generator }
    let tracer = Tracer(session: self, parent: Tracer(session: self))
    tracer.automaticSparsity = false
    let arguments = types.map { type in
      (Value.traced(tracer.traced(tracer.builder.input(type))), range)
    }
    let result = try tracer.call(f, arguments, [], callRange: range)
    let raw = tracer.builder.finish(outputs: result.tracedLeaves().map(\.v))
    return (raw, try Simplifier.simplify(raw, options: buildOptions), result)
  }
}
