/// The user-level transforms (JAX's `api.py`), applied while a statement is traced.
///
/// Each one flattens its arguments into tensor leaves and a structure (``Pytree``), traces the
/// function on its own graph (``TracedFunction``), transforms that graph (``JVP``, ``VJP``,
/// ``Batching``), inlines the result into the enclosing trace, and unflattens it. So every
/// transform takes and returns any nesting of tuples, and a transform of a transform is an
/// ordinary composition.
struct FunctionTransforms {
  let tracer: Tracer
  /// The transform as the user called it, for diagnostics (`jacfwd`, `hessian`).
  let name: String
  /// The call being evaluated.
  let range: SourceRange
  /// Batch at most this many items (or basis vectors) at once (`chunk_size`).
  var chunkSize: Int?

  var session: Session { tracer.session }

  /// Applies the function made by `transform` to `arguments`.
  func apply(_ transform: Transform, of f: Function, _ arguments: [(Value, SourceRange)])
    throws(Diagnostic) -> Value
  {
    switch transform {
    case .grad(let argnums, let hasAux, let withValue, _):
      return try grad(f, arguments, argnums, hasAux: hasAux, withValue: withValue)
    case .jacobian(let argnums, let hasAux, let mode, _, let chunkSize, let sparsity):
      var transforms = self
      transforms.chunkSize = chunkSize
      return try transforms.jacobian(
        f, arguments, argnums, hasAux: hasAux, requested: mode, sparsity: sparsity)
    case .hessian(let argnums, let hasAux, let sparsity):
      let gradient = Function(
        name: f.name,
        body: .transformed(
          base: f, .jacobian(argnums: argnums, hasAux: hasAux, mode: .reverse, name: name)))
      return try jacobian(
        gradient, arguments, argnums, hasAux: hasAux, requested: .forward, sparsity: sparsity,
        symmetric: true)
    case .sparsity(let argnums, let hasAux, let ofHessian):
      let base =
        ofHessian
        ? Function(
          name: f.name,
          body: .transformed(
            base: f, .jacobian(argnums: argnums, hasAux: hasAux, mode: .reverse, name: name)))
        : f
      return try sparsityPattern(base, arguments, argnums, hasAux: hasAux)
    case .vmap(let inDims, let outDims, let chunkSize, let randomness):
      var transforms = self
      transforms.chunkSize = chunkSize
      return try transforms.vmap(
        f, arguments, inDims: inDims, outDims: outDims, randomness: randomness)
    case .pullback(let primals, let hasAux):
      return try pullback(f, primals: primals.map { ($0, range) }, arguments, hasAux: hasAux)
    case .pushforward(let primals, let hasAux):
      return try pushforward(f, primals: primals.map { ($0, range) }, arguments, hasAux: hasAux)
    case .customJVP(let rule):
      return try customJVP(f, rule: rule, arguments)
    case .customVJP(let forward, let backward):
      return try customVJP(f, forward: forward, backward: backward, arguments)
    }
  }

  // MARK: - Shared steps

  /// The arguments with the numbers, integers and truth values inside those at `positions`
  /// made float tensors of the default dtype (as `grad(x -> x^2)(3)` expects); an argument
  /// there must hold a tensor.
  func differentiable(_ arguments: [(Value, SourceRange)], _ positions: [Int])
    throws(Diagnostic) -> [(Value, SourceRange)]
  {
    var out = arguments
    for i in Set(positions) {
      let (v, r) = arguments[i]
      let tree = Pytree(v, numbersAreLeaves: true)
      guard !tree.leaves.isEmpty else {
        throw Diagnostic(.needsTensors(name, got: v.typeDescription), at: r)
      }
      var leaves: [Value] = []
      for leaf in tree.leaves {
        let x = try tracer.asTraced(leaf, r, context: "'\(name)'")
        leaves.append(.traced(try tracer.realValued(x, r)))
      }
      out[i] = (tree.structure.unflatten(leaves), r)
    }
    return out
  }

  /// Traces `f(arguments…)` onto a new graph whose inputs are the arguments' tensor leaves
  /// (`leafTypes` overrides their types: `vmap` traces one item of a batch). With `hasAux`
  /// the function returns `(output, aux)`, and only `output` is differentiated.
  func trace(
    _ f: Function, _ arguments: [(Value, SourceRange)], hasAux: Bool,
    leafTypes: [TensorType]? = nil, randomness: Tracer.VmapRandomness? = nil
  ) throws(Diagnostic) -> TracedFunction {
    let inner = Tracer(session: session, parent: tracer)
    inner.vmapRandomness = randomness
    var structures: [TreeStructure] = []
    var ranges: [Range<Int>] = []
    var outer: [Traced] = []
    var innerArguments: [(Value, SourceRange)] = []
    for (v, r) in arguments {
      let tree = Pytree(v)
      let start = outer.count
      var leaves: [Value] = []
      for leaf in tree.leaves {
        let x = try tracer.asTraced(leaf, r, context: "'\(name)'")
        var t = inner.traced(inner.builder.input(leafTypes?[outer.count] ?? x.type))
        t.isWeak = x.isWeak
        t.kind = x.kind
        outer.append(x)
        leaves.append(.traced(t))
      }
      structures.append(tree.structure)
      ranges.append(start..<outer.count)
      innerArguments.append((tree.structure.unflatten(leaves), r))
    }
    let result = try inner.call(f, innerArguments, [], callRange: range)
    var main = result
    var aux: Value?
    if hasAux {
      guard case .tuple(let items) = result, items.count == 2 else {
        throw Diagnostic(.auxOutput(name, got: result.typeDescription), at: range)
      }
      (main, aux) = (items[0], items[1])
    }
    let out = Pytree(main, numbersAreLeaves: true)
    guard out.structure.constants.isEmpty else {
      throw Diagnostic(.transformOutput(name, got: main.typeDescription), at: range)
    }
    var outputs: [Var] = []
    var kinds: [ElementKind] = []
    for leaf in out.leaves {
      let t = try leafValue(leaf, inner)
      outputs.append(t.v)
      kinds.append(t.kind)
    }
    var auxStructure: TreeStructure?
    if let aux {
      let tree = Pytree(aux)
      if let f = tree.structure.constants.first(where: {
        if case .function = $0 { true } else { false }
      }) {
        throw Diagnostic(.transformOutput(name, got: f.typeDescription), at: range)
      }
      for leaf in tree.leaves {
        let t = try leafValue(leaf, inner)
        outputs.append(t.v)
        kinds.append(t.kind)
      }
      auxStructure = tree.structure
    }
    return TracedFunction(
      graph: inner.builder.finish(outputs: outputs), arguments: structures, argumentLeaves: ranges,
      argumentInputs: outer, captures: inner.captures, output: out.structure, aux: auxStructure,
      batchedCaptures: inner.batchedCaptures, outputKinds: kinds)
  }

  /// A leaf of a traced function's result as a value of its graph (a value it captured from an
  /// enclosing trace becomes an input).
  private func leafValue(_ leaf: Value, _ inner: Tracer) throws(Diagnostic) -> Traced {
    try inner.adopt(try inner.asTraced(leaf, range, context: "'\(name)'"))
  }

  /// Tangents or cotangents given as `values`, flattened, checked against `structure` and
  /// `types` (those of `matched`: the primals or the output), and converted to their dtypes.
  /// `what` names them.
  func matching(
    _ values: Value, _ structure: TreeStructure, _ types: [TensorType], _ what: String,
    of matched: String
  ) throws(Diagnostic) -> [Traced] {
    let tree = Pytree(values, numbersAreLeaves: true)
    guard tree.structure == structure else {
      throw Diagnostic(
        .structureMismatch(
          name, what, matched, expected: structure.description, got: tree.structure.description),
        at: range)
    }
    var out: [Traced] = []
    for (leaf, t) in zip(tree.leaves, types) {
      let x = try tracer.asTraced(leaf, range, context: "'\(name)'")
      guard x.type.shape == t.shape else {
        throw Diagnostic(
          .tangentMismatch(
            "'\(name)': \(what) need \(t), got \(x.type)",
            help: "\(what) must match \(matched) in number, shape and nesting of tuples"),
          at: range)
      }
      out.append(try tracer.convert(x, to: t.dtype, range))
    }
    return out
  }
}

extension Tracer {
  /// Applies the function made by `transform` (of `f`) to `arguments`.
  func apply(
    _ transform: Transform, of f: Function, _ arguments: [(Value, SourceRange)],
    callRange: SourceRange
  ) throws(Diagnostic) -> Value {
    try FunctionTransforms(tracer: self, name: transform.name, range: callRange)
      .apply(transform, of: f, arguments)
  }
}
