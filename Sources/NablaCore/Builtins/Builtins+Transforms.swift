extension Builtins {
  private static let transformAliases = ["in_axes": "in_dims", "out_axes": "out_dims"]

  /// `name(f, argnums=0, has_aux=False, …)` returning the transformed function.
  private static func transformer(
    _ name: String, hasAux: Bool = true, extra: [Parameter] = [], summary: String, example: String,
    _ make: @escaping @Sendable (Argnums, Bool) -> Transform
  ) -> Builtin {
    var parameters: [Parameter] = [.required("f"), .optional("argnums", .int(0))]
    if hasAux { parameters.append(.optional("has_aux", .bool(false))) }
    return Builtin(name, parameters + extra, summary: summary, example: example) { t, a in
      let f = try a.function("f")
      let transform = make(try a.argnums("argnums"), hasAux ? try a.bool("has_aux") : false)
      return .function(Function(name: f.name, body: .transformed(base: f, transform)))
    }
  }

  static let transforms: [Builtin] = [
    transformer(
      "grad",
      summary: "the function giving the gradient of scalar-valued f (a tuple for a tuple argnums)",
      example: "grad(x -> sum(x^3))([1, 2])"
    ) { .grad(argnums: $0, hasAux: $1, withValue: false) },
    transformer(
      "value_and_grad", summary: "the function giving (f(x…), grad(f)(x…))",
      example: "value_and_grad(x -> sum(x^2))([1, 2])"
    ) { .grad(argnums: $0, hasAux: $1, withValue: true) },
    transformer(
      "jacrev", extra: [.optional("chunk_size")],
      summary: "the function giving the Jacobian (shape out.shape + in.shape) by reverse mode",
      example: "jacrev(x -> sin(x))([0, 1])"
    ) { .jacrev(argnums: $0, hasAux: $1) },
    transformer(
      "jacfwd", extra: [.optional("randomness")],
      summary: "the function giving the Jacobian (shape out.shape + in.shape) by forward mode",
      example: "jacfwd(x -> x .* x)([1, 2])"
    ) { .jacfwd(argnums: $0, hasAux: $1) },
    transformer(
      "jacobian", hasAux: false,
      summary: "the Jacobian, by forward mode when outputs outnumber inputs, else reverse",
      example: "jacobian(x -> [sum(x), prod(x)])([2, 3])"
    ) { a, _ in .jacobian(argnums: a) },
    transformer(
      "hessian", hasAux: false, summary: "the function giving the Hessian: jacfwd(jacrev(f))",
      example: "hessian(x -> sum(x^3))([1, 2])"
    ) { a, _ in .hessian(argnums: a) },
    Builtin(
      "vmap",
      [
        .required("f"), .optional("in_dims", .int(0)), .optional("out_dims", .int(0)),
        .optional("chunk_size"),
        .optional("randomness"),
      ],
      aliases: transformAliases,
      summary: "the function mapping f over an axis of its arguments (None in in_dims: not mapped)",
      example: "vmap(x -> sum(x))(reshape(arange(6), 2, 3))"
    ) { t, a in
      let f = try a.function("f")
      return .function(
        Function(
          name: f.name,
          body: .transformed(
            base: f, .vmap(inDims: a.value("in_dims"), outDims: a.value("out_dims")))))
    },
    Builtin(
      "jvp", [.required("f"), .required("primals"), .required("tangents")],
      summary: "(f(primals…), J·tangents); primals and tangents are tuples",
      example: "jvp(x -> sin(x), (0.5,), (1,))"
    ) { t, a in
      try t.jvp(
        try a.function("f"), try a.tupleItems("primals"), try a.tupleItems("tangents"), a.callRange)
    },
    Builtin(
      "vjp", [.required("f"), .variadic("primals"), .optional("has_aux", .bool(false))],
      summary: "(f(primals…), vjp_fn) where vjp_fn(v) gives a tuple of cotangents",
      example: "vjp(x -> x^2, 3)[1](1)"
    ) { t, a in
      try t.vjp(
        try a.function("f"), try a.tupleItems("primals"), hasAux: try a.bool("has_aux"), a.callRange
      )
    },
    Builtin(
      "linearize", [.required("f"), .variadic("primals")],
      summary: "(f(primals…), jvp_fn) where jvp_fn(t…) gives J·t",
      example: "linearize(x -> sin(x), 0)[1](2)"
    ) { t, a in
      try t.linearize(try a.function("f"), try a.tupleItems("primals"), a.callRange)
    },
    Builtin(
      "hvp", [.required("f"), .required("primals"), .required("tangents")],
      summary:
        "the Hessian-vector product by forward-over-reverse: jvp(grad(f), primals, tangents)[1]",
      example: "hvp(x -> sum(x^3), ([1, 2],), ([1, 0],))"
    ) { t, a in
      let primals = try a.tupleItems("primals")
      let g = try t.gradientFunction(try a.function("f"), count: primals.count)
      let result = try t.jvp(g, primals, try a.tupleItems("tangents"), a.callRange)
      guard case .tuple(let pair) = result, pair.count == 2 else { return result }
      return pair[1]
    },
    Builtin(
      "vhp", [.required("f"), .required("primals"), .required("v")],
      summary: "the vector-Hessian product by reverse-over-reverse: vjp(grad(f), primals…)[1](v)",
      example: "vhp(x -> sum(x^3), ([1, 2],), [1, 0])"
    ) { t, a in
      let primals = try a.tupleItems("primals")
      let g = try t.gradientFunction(try a.function("f"), count: primals.count)
      let a2 = try t.differentiableArguments(
        primals, Argnums(indices: Array(0..<primals.count), isTuple: true), "vhp", a.callRange)
      let result = try t.pullback(g, a2, [(a.value("v"), a.range("v"))], hasAux: false, a.callRange)
      if case .tuple(let items) = result, items.count == 1 { return items[0] }
      return result
    },
  ]
}

extension Tracer {
  /// `grad(f)` for one primal, `grad(f, argnums=(0, …, n−1))` for several.
  func gradientFunction(_ f: Function, count: Int) throws(Diagnostic) -> Function {
    let argnums = count == 1 ? Argnums.first : Argnums(indices: Array(0..<count), isTuple: true)
    return Function(
      name: f.name,
      body: .transformed(base: f, .grad(argnums: argnums, hasAux: false, withValue: false)))
  }
}

extension Arguments {
  /// `argnums`: an integer, or a tuple of them.
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
  func tupleItems(_ name: String) throws(Diagnostic) -> [(Value, SourceRange)] {
    if case .tuple(let items) = value(name) { return items.map { ($0, range(name)) } }
    return [(value(name), range(name))]
  }
}
