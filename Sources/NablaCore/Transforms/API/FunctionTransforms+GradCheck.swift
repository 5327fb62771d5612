/// `gradcheck(f, args…)`: JAX's `check_grads` on a function of pytrees. Every tensor leaf of
/// every argument is differentiated; values `f` captures are held fixed.
extension FunctionTransforms {
  /// `True` when ``GradCheck`` finds nabla's derivatives of `f` at `arguments` (forward and
  /// reverse mode, to `settings.order`) within tolerance of central differences; otherwise a
  /// diagnostic at the call naming the mode, order, argument, element and both values.
  func gradcheck(
    _ f: Function, _ arguments: [(Value, SourceRange)], _ settings: GradCheck.Settings
  ) throws(Diagnostic) -> Value {
    guard tracer.parent == nil else {
      throw Diagnostic(.notCallableHere("'\(name)' inside a transformed function"), at: range)
    }
    guard !arguments.isEmpty else {
      throw Diagnostic(
        .invalidArgument(
          name, "needs the arguments to check f at",
          help: "write \(name)(f, x), or \(name)(f, x, y) for a function of two arguments"),
        at: range)
    }
    let tf = try trace(f, try differentiable(arguments, Array(arguments.indices)), hasAux: false)
    let point = try tracer.concreteValues(tf.inputs, range, what: "'\(name)'")
    let leafCount = tf.argumentInputs.count
    let subject = GradCheck.Subject(
      graph: tf.graph, point: point,
      differentiated: tf.graph.inputs.indices.map { $0 < leafCount },
      inputNames: Self.inputNames(f, tf),
      outputNames: tf.output.leafPaths.map { $0.isEmpty ? "the output" : "output\($0)" })
    let checker = GradCheck(
      settings: settings, options: session.buildOptions,
      interpreter: Interpreter(
        memoryLimit: session.options.memoryLimit, cancellation: session.cancellation))
    if let failure = try checker.check(subject) {
      throw Diagnostic(.gradientCheckFailed(failure.text, eps: settings.eps), at: range)
    }
    return .bool(true)
  }

  /// The graph inputs of `tf` as messages name them: `'x' (argument 0)`, `'p[1]' (argument 0)`
  /// for a leaf of a tuple argument, `argument 1` for a function whose parameters have no
  /// names here; then the captured values.
  private static func inputNames(_ f: Function, _ tf: TracedFunction) -> [String] {
    let parameters = f.parameterNames ?? []
    var names: [String] = []
    for (position, structure) in tf.arguments.enumerated() {
      for path in structure.leafPaths {
        if parameters.indices.contains(position) {
          names.append("'\(parameters[position])\(path)' (argument \(position))")
        } else {
          names.append("argument \(position)" + (path.isEmpty ? "" : " item \(path)"))
        }
      }
    }
    return names + tf.captures.indices.map { "captured value \($0)" }
  }
}

extension TreeStructure {
  /// Where each leaf sits, as an index path: `""` for a lone tensor, `[1][0]` inside tuples.
  fileprivate var leafPaths: [String] {
    switch self {
    case .leaf: [""]
    case .tuple(let items):
      items.enumerated().flatMap { i, item in item.leafPaths.map { "[\(i)]" + $0 } }
    case .constant: []
    }
  }
}

extension Function {
  /// The names of the parameters, where the function has them (for messages); a transform of
  /// `f` that takes `f`'s arguments has `f`'s.
  fileprivate var parameterNames: [String]? {
    switch body {
    case .user(let parameters, _), .lambda(let parameters, _, _): parameters
    case .builtin(let b): b.parameters.filter { !$0.isVariadic }.map(\.name)
    case .transformed(let base, let transform):
      switch transform {
      case .grad, .jacobian, .hessian, .sparsity, .vmap, .customJVP, .customVJP: base.parameterNames
      case .pullback, .pushforward: nil
      }
    }
  }
}
