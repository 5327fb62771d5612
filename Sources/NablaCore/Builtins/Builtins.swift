/// Every built-in function, by name.
public enum Builtins {
  public static let all: [Builtin] =
    constructors + elementwise + reductions + linearAlgebra + shapes + checks + transforms
    + composites + arrays + rearrangements + einsums + plots + sparse + loops + customDerivatives
    + casts

  /// The conversion functions that also name their dtype (`zeros(3, dtype=int64)`).
  static let dtypeNames: Set<String> = ["float32", "float64", "int64", "bool"]

  public static let table: [String: Builtin] = {
    var t: [String: Builtin] = [:]
    for b in all { t[b.name] = b }
    for (alias, name) in aliases { t[alias] = t[name] }
    return t
  }()

  /// Alternative names (`cat` for `concat`), as PyTorch and NumPy spell them.
  static let aliases = [
    "cat": "concat", "concatenate": "concat", "absolute": "abs", "negative": "neg",
    "amax": "max", "amin": "min", "logistic": "sigmoid", "clip": "clamp", "inverse": "inv",
  ]

  public static var names: [String] { Array(table.keys).sorted() }
}

/// A built-in of one tensor argument `x` that emits `make(x)`.
func unaryBuiltin(
  _ name: String, summary: String, example: String,
  _ make: @escaping @Sendable (Tracer, Traced, SourceRange) throws -> Traced
) -> Builtin {
  Builtin(name, [.required("x")], summary: summary, example: example) { t, a in
    .traced(try make(t, try a.tensor("x"), a.callRange))
  }
}
