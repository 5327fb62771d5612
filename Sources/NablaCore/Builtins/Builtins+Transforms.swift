extension Builtins {
  private static let transformAliases = ["in_axes": "in_dims", "out_axes": "out_dims"]

  /// `name(f, argnums=0, has_aux=False, …)` returning the transformed function.
  private static func transformer(
    _ name: String, extra: [Parameter] = [], summary: String, example: String,
    _ make: @escaping @Sendable (Argnums, Bool, Arguments) throws -> Transform
  ) -> Builtin {
    let parameters: [Parameter] = [
      .required("f"), .optional("argnums", .int(0)), .optional("has_aux", .bool(false)),
    ]
    return Builtin(name, parameters + extra, summary: summary, example: example) { t, a in
      let f = try a.function("f")
      let transform = try make(try a.argnums("argnums"), try a.bool("has_aux"), a)
      return .function(Function(name: f.name, body: .transformed(base: f, transform)))
    }
  }

  /// `chunk_size`: `None`, or a positive number of items (or basis vectors) batched at once.
  private static func chunkSize(_ a: Arguments) throws(Diagnostic) -> Int? {
    guard !a.isNone("chunk_size") else { return nil }
    let n = try a.int("chunk_size")
    guard n > 0 else {
      throw Diagnostic(
        .invalidArgument(a.function, "chunk_size must be None or a positive integer, got \(n)"),
        at: a.range("chunk_size"))
    }
    return n
  }

  /// The sparse Jacobian options every Jacobian and Hessian takes.
  private static let sparseParameters: [Parameter] = [
    .optional("sparse"), .optional("sparse_output", .bool(false)),
  ]

  /// `sparse` (`None`: the cost model chooses) and `sparse_output`.
  private static func sparsity(_ a: Arguments) throws(Diagnostic) -> SparseOptions {
    SparseOptions(
      sparse: a.isNone("sparse") ? nil : try a.bool("sparse"), output: try a.bool("sparse_output"))
  }

  /// `randomness`: `"error"` (the default), `"same"` or `"different"`, as torch.func.
  private static func randomness(_ a: Arguments) throws(Diagnostic) -> Randomness {
    guard case .string(let text) = a.value("randomness") else {
      guard a.isNone("randomness") else {
        throw Diagnostic(
          .invalidArgument(a.function, "randomness must be \"error\", \"same\" or \"different\""),
          at: a.range("randomness"))
      }
      return .error
    }
    guard let r = Randomness(rawValue: text) else {
      throw Diagnostic(
        .invalidArgument(
          a.function, "randomness must be \"error\", \"same\" or \"different\", got \"\(text)\""),
        at: a.range("randomness"))
    }
    return r
  }

  /// `name(f, primals…, has_aux=False)` computed at once by `apply`.
  private static func applied(
    _ name: String, _ parameters: [Parameter], summary: String, example: String,
    _ apply:
      @escaping @Sendable (FunctionTransforms, Function, Arguments, Bool) throws(Diagnostic) ->
      Value
  ) -> Builtin {
    Builtin(
      name, parameters + [.optional("has_aux", .bool(false))], summary: summary, example: example
    ) { t, a in
      let transforms = FunctionTransforms(tracer: t, name: name, range: a.callRange)
      return try apply(transforms, try a.function("f"), a, try a.bool("has_aux"))
    }
  }

  static let transforms: [Builtin] = [
    transformer(
      "grad",
      summary: "the function giving the gradient of scalar-valued f (a tuple for a tuple argnums)",
      example: "grad(x -> sum(x^3))([1, 2])"
    ) { a, h, _ in .grad(argnums: a, hasAux: h, withValue: false, name: "grad") },
    transformer(
      "value_and_grad", summary: "the function giving (f(x…), grad(f)(x…))",
      example: "value_and_grad(x -> sum(x^2))([1, 2])"
    ) { a, h, _ in .grad(argnums: a, hasAux: h, withValue: true, name: "value_and_grad") },
    transformer(
      "jacrev", extra: [.optional("chunk_size")] + sparseParameters,
      summary: "the function giving the Jacobian (shape out.shape + in.shape) by reverse mode",
      example: "jacrev(x -> sin(x))([0, 1])"
    ) { n, h, a in
      .jacobian(
        argnums: n, hasAux: h, mode: .reverse, name: "jacrev", chunkSize: try chunkSize(a),
        sparsity: try sparsity(a))
    },
    transformer(
      "jacfwd", extra: [.optional("randomness"), .optional("chunk_size")] + sparseParameters,
      summary: "the function giving the Jacobian (shape out.shape + in.shape) by forward mode",
      example: "jacfwd(x -> x .* x)([1, 2])"
    ) { n, h, a in
      _ = try randomness(a)  // checked; a Jacobian's basis draws nothing
      return .jacobian(
        argnums: n, hasAux: h, mode: .forward, name: "jacfwd", chunkSize: try chunkSize(a),
        sparsity: try sparsity(a))
    },
    transformer(
      "jacobian", extra: sparseParameters,
      summary: "the Jacobian, by forward mode when outputs outnumber inputs, else reverse",
      example: "jacobian(x -> [sum(x), prod(x)])([2, 3])"
    ) { n, h, a in
      .jacobian(argnums: n, hasAux: h, mode: nil, name: "jacobian", sparsity: try sparsity(a))
    },
    transformer(
      "hessian", extra: sparseParameters,
      summary: "the function giving the Hessian: jacfwd(jacrev(f))",
      example: "hessian(x -> sum(x^3))([1, 2])"
    ) { n, h, a in .hessian(argnums: n, hasAux: h, sparsity: try sparsity(a)) },
    transformer(
      "jacobian_sparsity",
      summary: "the function giving the sparsity pattern of f's Jacobian (a sparse matrix of ones)",
      example: "jacobian_sparsity(x -> x[1:3] .* x[0:2])([1, 2, 3])"
    ) { n, h, _ in .sparsity(argnums: n, hasAux: h, ofHessian: false) },
    transformer(
      "hessian_sparsity",
      summary: "the function giving the sparsity pattern of scalar f's Hessian",
      example: "hessian_sparsity(x -> sum(x[1:3] .* x[0:2]))([1, 2, 3])"
    ) { n, h, _ in .sparsity(argnums: n, hasAux: h, ofHessian: true) },
    Builtin(
      "vmap",
      [
        .required("f"), .optional("in_dims", .int(0)), .optional("out_dims", .int(0)),
        .optional("chunk_size"),
        .optional("randomness"),
      ],
      aliases: transformAliases,
      summary:
        "the function mapping f over an axis of its arguments (None in in_dims: not mapped; in out_dims: not batched)",
      example: "vmap(x -> sum(x))(reshape(arange(6), 2, 3))"
    ) { t, a in
      let f = try a.function("f")
      return .function(
        Function(
          name: f.name,
          body: .transformed(
            base: f,
            .vmap(
              inDims: a.value("in_dims"), outDims: a.value("out_dims"),
              chunkSize: try chunkSize(a), randomness: try randomness(a)))))
    },
    applied(
      "jvp", [.required("f"), .required("primals"), .required("tangents")],
      summary: "(f(primals…), J·tangents); primals and tangents are tuples",
      example: "jvp(x -> sin(x), (0.5,), (1,))"
    ) { transforms, f, a, hasAux throws(Diagnostic) in
      try transforms.jvp(
        f, primals: a.tupleItems("primals"), tangents: a.tupleItems("tangents"), hasAux: hasAux)
    },
    applied(
      "vjp", [.required("f"), .variadic("primals", unpacksTuple: false)],
      summary: "(f(primals…), vjp_fn) where vjp_fn(v) gives a tuple of cotangents",
      example: "vjp(x -> x^2, 3)[1](1)"
    ) { transforms, f, a, hasAux throws(Diagnostic) in
      try transforms.vjp(f, primals: a.tupleItems("primals"), hasAux: hasAux)
    },
    applied(
      "linearize", [.required("f"), .variadic("primals", unpacksTuple: false)],
      summary: "(f(primals…), jvp_fn) where jvp_fn(t…) gives J·t",
      example: "linearize(x -> sin(x), 0)[1](2)"
    ) { transforms, f, a, hasAux throws(Diagnostic) in
      try transforms.linearize(f, primals: a.tupleItems("primals"), hasAux: hasAux)
    },
    applied(
      "hvp", [.required("f"), .required("primals"), .required("tangents")],
      summary:
        "the Hessian-vector product by forward-over-reverse: jvp(grad(f), primals, tangents)[1]",
      example: "hvp(x -> sum(x^3), ([1, 2],), ([1, 0],))"
    ) { transforms, f, a, hasAux throws(Diagnostic) in
      try transforms.hvp(
        f, primals: a.tupleItems("primals"), tangents: a.tupleItems("tangents"), hasAux: hasAux)
    },
    applied(
      "vhp", [.required("f"), .required("primals"), .required("v")],
      summary: "the vector-Hessian product by reverse-over-reverse: vjp(grad(f), primals…)[1](v)",
      example: "vhp(x -> sum(x^3), ([1, 2],), [1, 0])"
    ) { transforms, f, a, hasAux throws(Diagnostic) in
      try transforms.vhp(
        f, primals: a.tupleItems("primals"), (a.value("v"), a.range("v")), hasAux: hasAux)
    },
    gradcheck,
  ]
}

extension Arguments {
  /// `argnums`: an integer, or a tuple of them (negative ones count from the end).
  func argnums(_ name: String) throws(Diagnostic) -> Argnums {
    if case .tuple = value(name) {
      let list = try ints(name)
      guard !list.isEmpty else {
        throw Diagnostic(.invalidArgument(function, "argnums is an empty tuple"), at: range(name))
      }
      return Argnums(indices: list, isTuple: true)
    }
    return Argnums(indices: [try int(name)], isTuple: false)
  }

  /// The items of a tuple argument (a lone value counts as a 1-tuple), with their ranges.
  func tupleItems(_ name: String) -> [(Value, SourceRange)] {
    if case .tuple(let items) = value(name) { return items.map { ($0, range(name)) } }
    return [(value(name), range(name))]
  }
}
