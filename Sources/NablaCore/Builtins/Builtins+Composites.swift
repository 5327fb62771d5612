extension Builtins {
  /// Built-ins written in nabla itself, over their parameters' names: their derivatives,
  /// batching and formulas come from the built-ins they are made of. (`.*` multiplies
  /// elementwise; `*` of two vectors would be their dot product.)
  static let composites: [Builtin] = [
    composite(
      "logaddexp", ["x", "y"], "log(eˣ + eʸ), computed without overflow",
      "logaddexp([1, 1000], [2, 1000])",
      "where(isinf(x) .* (x == y), x, maximum(x, y) + log1p(exp(-abs(x - y))))"),
    composite(
      "xlogy", ["x", "y"], "x · log y, and 0 where x is 0 (also its derivative, where y is 0)",
      "xlogy([0, 2], [0, 3])", "where(x == 0, 0, x .* log(where(x == 0, 1, y)))"),
    composite(
      "logit", ["x"], "log(x / (1 − x)), the inverse of sigmoid", "logit(0.25)",
      "log(x / (1 - x))"),
    composite(
      "hypot", ["x", "y"], "√(x² + y²), without overflow or underflow in the squares",
      "hypot(3, 4)",
      "(m -> where(isinf(m), inf, where(m == 0, 0, m .* sqrt((x / where(m == 0, 1, m))^2 + (y / where(m == 0, 1, m))^2))))(maximum(abs(x), abs(y)))"
    ),
    composite(
      "isinf", ["x"], "true where x is infinite", "isinf([1, inf, -inf, nan])",
      "abs(x) == inf"),
    composite(
      "zeros_like", ["x"], "zeros of x's shape and dtype", "zeros_like([1, 2])",
      "zeros(x.shape, dtype=x.dtype)"),
    composite(
      "ones_like", ["x"], "ones of x's shape and dtype", "ones_like([1, 2])",
      "ones(x.shape, dtype=x.dtype)"),
    composite(
      "full_like", ["x", "fill_value"], "fill_value in x's shape and dtype",
      "full_like([1, 2], 7)", "full(x.shape, fill_value, dtype=x.dtype)"),
    composite(
      "tril", ["x", .optional("diagonal", .int(0))],
      "x with the elements above the diagonal-th diagonal of its last two axes zeroed",
      "tril(ones(3, 3))",
      "where(reshape(arange(x.shape[-2]), x.shape[-2], 1) + diagonal >= arange(x.shape[-1]), x, zeros_like(x))"
    ),
    composite(
      "triu", ["x", .optional("diagonal", .int(0))],
      "x with the elements below the diagonal-th diagonal of its last two axes zeroed",
      "triu(ones(3, 3))",
      "where(arange(x.shape[-1]) >= reshape(arange(x.shape[-2]), x.shape[-2], 1) + diagonal, x, zeros_like(x))"
    ),
    composite(
      "logdet", ["A"],
      "log det A (NaN where det A < 0, as PyTorch; computed from det A, so it overflows where det does)",
      "logdet([[2, 0], [0, 3]])",
      "log(det(A))"),
    composite(
      "slogdet", ["A"], "(sign of det A, log |det A|), computed from det A (which may overflow)",
      "slogdet([[0, 2], [3, 0]])",
      "(sign(det(A)), log(abs(det(A))))"),
    composite(
      "jacobian_diag", ["f"],
      "the function giving the diagonal of f's square Jacobian at a vector: J[i, i], one JVP per element batched over the identity basis, which the optimiser reduces to the elements' own derivatives where f acts elementwise",
      "jacobian_diag(x -> sin(x) * sum(x))([0, 1])",
      "x -> vmap(e -> sum(e .* jvp(f, (x,), (e,))[1]))(reshape(arange(numel(x)), numel(x), 1) == arange(numel(x)))"
    ),
    composite(
      "hessian_diag", ["f"],
      "the function giving the diagonal of scalar f's Hessian at a vector, exactly; as cheap as the gradient where f is a sum of functions of one element",
      "hessian_diag(x -> sum(x^3))([1, 2])", "jacobian_diag(grad(f))"),
    composite(
      "hessian_trace", ["f"],
      "the function giving the trace of scalar f's Hessian at a vector, exactly",
      "hessian_trace(x -> sum(x^3))([1, 2])", "x -> sum(hessian_diag(f)(x))"),
    composite(
      "hutchinson_trace", ["f", "x", .optional("samples", .int(100))],
      "(estimate, standard error) of the trace of scalar f's Hessian at vector x from samples Gaussian probes z: the mean of zᵀHz",
      "seed(0); hutchinson_trace(x -> sum(x^3), [1, 2], samples=1000)",
      "(v -> (mean(v), std(v) / sqrt(samples)))(vmap(z -> sum(z .* jvp(grad(f), (x,), (z,))[1]))(randn(samples, numel(x))))"
    ),
  ]

  /// A built-in whose body is the nabla expression `definition` over `parameters` (names, or
  /// ``Parameter``s with defaults). The names it uses are the built-in functions and constants,
  /// so a session binding of the same name cannot change it. The definition is
  /// parsed where it is used (a few microseconds), not for every built-in when the table is
  /// made: a one-shot command pays only for what it calls.
  private static func composite(
    _ name: String, _ parameters: [Parameter], _ summary: String, _ example: String,
    _ definition: String
  ) -> Builtin {
    Builtin(name, parameters, summary: summary, example: example) { t, a in
      let file = SourceFile(name: "<built-in \(name)>", text: definition)
      guard let statements = try? Parser.parse(file), statements.count == 1,
        case .expression(let body) = statements[0].kind,
        let tokens = try? Lexer.tokenize(file)
      else {
        throw Diagnostic(.internalError("the definition of '\(name)' does not parse"), at: nil)
      }
      let names = parameters.map(\.name)
      let free = Set(
        tokens.compactMap { token -> String? in
          if case .identifier(let n) = token.kind, !names.contains(n) { return n }
          return nil
        })
      let f = Function(
        name: name, body: .lambda(parameters: names, body: body, captured: try captured(free, t)))
      return try t.call(f, names.map { (a.value($0), a.range($0)) }, [], callRange: a.callRange)
    }
  }

  /// The built-ins and constants among `names`, as values for tracer `t`.
  private static func captured(_ names: Set<String>, _ t: Tracer) throws(Diagnostic) -> [String:
    Value]
  {
    var scope: [String: Value] = [:]
    for n in names {
      if let b = table[n] {
        scope[n] = .function(Function(name: n, body: .builtin(b)))
      } else if let constant = Constants.value(of: n) {
        switch constant {
        case .real(let x): scope[n] = .traced(try t.scalar(x, t.defaultDType, weak: true))
        case .value(let v): scope[n] = v
        }
      }
    }
    return scope
  }
}

extension Parameter: ExpressibleByStringLiteral {
  /// A required parameter by name.
  public init(stringLiteral name: String) { self = .required(name) }
}
