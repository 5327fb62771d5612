/// `jvp`, `vjp`, `linearize` and the functions they return, and `hvp` and `vhp` built on them.
/// Primals, tangents and cotangents may be any nesting of tuples; tangents match the primals'
/// structure, cotangents the output's.
extension FunctionTransforms {
  /// `jvp(f, primals, tangents)`: `(f(primals…), J·tangents)`, both with the output's
  /// structure; `(output, tangent, aux)` with `hasAux`.
  func jvp(
    _ f: Function, primals: [(Value, SourceRange)], tangents: [(Value, SourceRange)],
    hasAux: Bool
  ) throws(Diagnostic) -> Value {
    guard primals.count == tangents.count else {
      let (p, t) = (primals.count, tangents.count)
      throw Diagnostic(
        .tangentMismatch(
          "'\(name)' got \(p) primal\(p == 1 ? "" : "s") but \(t) tangent\(t == 1 ? "" : "s")",
          help: "give one tangent for each primal, in a tuple like the primals"),
        at: range)
    }
    let a = try differentiable(primals, Array(primals.indices))
    let tf = try trace(f, a, hasAux: hasAux)
    let leafCount = tf.argumentInputs.count
    let t = try matching(
      .tuple(tangents.map(\.0)), .tuple(tf.arguments), (0..<leafCount).map(tf.inputType),
      "the tangents", of: "the primals")
    let jvp = try JVP.transform(
      tf.graph, hasTangent: tf.graph.inputs.indices.map { $0 < leafCount },
      options: session.buildOptions)
    let results = try tracer.inline(jvp, tf.inputs + t, range)
    let n = tf.graph.outputs.count
    let (output, aux) = tf.result(results[..<n])
    let tangent = tf.output.unflatten(results[n..<(n + tf.outputCount)].map { Value.traced($0) })
    return .tuple([output, tangent] + (aux.map { [$0] } ?? []))
  }

  /// `vjp(f, primals…)`: `(f(primals…), vjp_fn)`, or `(output, vjp_fn, aux)` with `hasAux`.
  func vjp(_ f: Function, primals: [(Value, SourceRange)], hasAux: Bool) throws(Diagnostic)
    -> Value
  {
    let a = try differentiable(primals, Array(primals.indices))
    let (output, aux) = try call(f, a, hasAux: hasAux)
    let fn = Function(
      name: "vjp_fn", body: .transformed(base: f, .pullback(primals: a.map(\.0), hasAux: hasAux)))
    return .tuple([output, .function(fn)] + (aux.map { [$0] } ?? []))
  }

  /// `linearize(f, primals…)`: `(f(primals…), jvp_fn)`, or `(output, jvp_fn, aux)` with
  /// `hasAux`.
  func linearize(_ f: Function, primals: [(Value, SourceRange)], hasAux: Bool) throws(Diagnostic)
    -> Value
  {
    let a = try differentiable(primals, Array(primals.indices))
    let (output, aux) = try call(f, a, hasAux: hasAux)
    let fn = Function(
      name: "jvp_fn",
      body: .transformed(base: f, .pushforward(primals: a.map(\.0), hasAux: hasAux)))
    return .tuple([output, .function(fn)] + (aux.map { [$0] } ?? []))
  }

  /// `f(arguments…)` split into its output and, with `hasAux`, its auxiliary value.
  private func call(_ f: Function, _ arguments: [(Value, SourceRange)], hasAux: Bool)
    throws(Diagnostic) -> (Value, Value?)
  {
    let result = try tracer.call(f, arguments, [], callRange: range)
    guard hasAux else { return (result, nil) }
    guard case .tuple(let items) = result, items.count == 2 else {
      throw Diagnostic(.auxOutput(name, got: result.typeDescription), at: range)
    }
    return (items[0], items[1])
  }

  /// A `vjp_fn` applied to cotangents of `f`'s output (one value with the output's structure,
  /// or several, taken as a tuple): the cotangents of the primals, as a tuple with one entry of
  /// each primal's structure.
  func pullback(
    _ f: Function, primals: [(Value, SourceRange)], _ cotangents: [(Value, SourceRange)],
    hasAux: Bool
  ) throws(Diagnostic) -> Value {
    let tf = try trace(f, primals, hasAux: hasAux)
    let given = cotangents.count == 1 ? cotangents[0].0 : .tuple(cotangents.map(\.0))
    let ct = try matching(given, tf.output, tf.outputTypes, "the cotangents", of: "the output")
    let leafCount = tf.argumentInputs.count
    let vjp = try VJP.transform(
      tf.graph, wrt: tf.graph.inputs.indices.map { $0 < leafCount },
      hasCotangent: tf.graph.outputs.indices.map { $0 < tf.outputCount },
      options: session.buildOptions)
    let results = try tracer.inline(vjp, tf.inputs + ct, range)
    let cts = results.dropFirst(tf.graph.outputs.count).map { Value.traced($0) }
    return .tuple(
      zip(tf.arguments, tf.argumentLeaves).map { structure, leaves in
        structure.unflatten(Array(cts[leaves]))
      })
  }

  /// A `jvp_fn` applied to tangents of the primals: the output's tangent.
  func pushforward(
    _ f: Function, primals: [(Value, SourceRange)], _ tangents: [(Value, SourceRange)],
    hasAux: Bool
  ) throws(Diagnostic) -> Value {
    let result = try jvp(f, primals: primals, tangents: tangents, hasAux: hasAux)
    guard case .tuple(let items) = result, items.count >= 2 else { return result }
    return items[1]
  }

  /// `grad(f)` for one primal, `grad(f, argnums=(0, …, n−1))` for several (hvp's and vhp's
  /// inner function); aux passes through.
  private func gradient(_ f: Function, count: Int, hasAux: Bool) -> Function {
    let argnums = count == 1 ? Argnums.first : Argnums.all(count)
    return Function(
      name: f.name,
      body: .transformed(
        base: f, .grad(argnums: argnums, hasAux: hasAux, withValue: false, name: name)))
  }

  /// `hvp(f, primals, tangents)`: the Hessian-vector product by forward-over-reverse,
  /// `jvp(grad(f), primals, tangents)[1]`, with the primals' structure; `(hvp, aux)` with
  /// `hasAux`.
  func hvp(
    _ f: Function, primals: [(Value, SourceRange)], tangents: [(Value, SourceRange)],
    hasAux: Bool
  ) throws(Diagnostic) -> Value {
    let g = gradient(f, count: primals.count, hasAux: hasAux)
    let result = try jvp(g, primals: primals, tangents: tangents, hasAux: hasAux)
    guard case .tuple(let items) = result, items.count >= 2 else { return result }
    return hasAux && items.count == 3 ? .tuple([items[1], items[2]]) : items[1]
  }

  /// `vhp(f, primals, v)`: the vector-Hessian product by reverse-over-reverse,
  /// `vjp(grad(f), primals…)[1](v)`; for the symmetric Hessians of real functions the same as
  /// `hvp`, and shaped like it; `(vhp, aux)` with `hasAux`.
  func vhp(
    _ f: Function, primals: [(Value, SourceRange)], _ v: (Value, SourceRange), hasAux: Bool
  ) throws(Diagnostic) -> Value {
    let g = gradient(f, count: primals.count, hasAux: hasAux)
    let a = try differentiable(primals, Array(primals.indices))
    var result = try pullback(g, primals: a, [v], hasAux: hasAux)
    if case .tuple(let items) = result, items.count == 1 { result = items[0] }
    guard hasAux else { return result }
    let (_, aux) = try call(g, a, hasAux: true)
    return .tuple([result, aux ?? .none])
  }
}
