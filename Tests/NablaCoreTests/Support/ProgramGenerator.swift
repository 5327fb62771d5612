/// A seeded generator of valid nabla programs for property tests: a function `f(x)` of a
/// 3-vector, built from random nested expressions over smooth built-ins, constants, a helper
/// definition, tuples and transforms inside the function, returning a tensor or a (nested)
/// tuple. Every function is smooth everywhere on the inputs it is given (no kinks, no poles,
/// bounded growth), so derivatives can be checked against central differences.
struct ProgramGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  /// splitmix64.
  private mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }

  /// A uniform number in [lo, hi), rounded to three decimals (so it prints exactly).
  mutating func number(_ lo: Double, _ hi: Double) -> Double {
    ((lo + (hi - lo) * Double(next() >> 11) / Double(1 << 53)) * 1000).rounded() / 1000
  }

  mutating func pick(_ options: [String]) -> String { options[int(options.count)] }

  mutating func vectorLiteral(_ n: Int, _ lo: Double = -1, _ hi: Double = 1) -> String {
    "[" + (0..<n).map { _ in "\(number(lo, hi))" }.joined(separator: ", ") + "]"
  }

  /// An expression of shape [3] in `x` (and the constants `W`, `b`, `c` and helper `g`).
  mutating func vector(_ depth: Int) -> String {
    if depth <= 0 || int(5) == 0 {
      return pick([
        "x", "W * x", "x .* c", "x[::-1]", "concat((x[1:], x[:1]))", "W @ x + b",
        "linear(x, W, b)", "sum(W .* x, dim=1)",
      ])
    }
    let v = vector(depth - 1)
    switch int(12) {
    case 0: return "\(pick(["sin", "cos", "tanh", "sigmoid", "softplus", "atan", "erf"]))(\(v))"
    case 1: return "(\(v)) .* (\(vector(depth - 1)))"
    case 2: return "(\(v)) \(pick(["+", "-"])) (\(vector(depth - 1)))"
    case 3: return "(\(v)) ./ (1 + (\(vector(depth - 1)))^2)"
    case 4: return "(\(scalar(depth - 1))) * tanh(\(v))"
    case 5: return "softmax(\(v))"
    case 6: return "g(\(v))"
    case 7: return "exp(0.5 * tanh(\(v)))"
    case 8: return "grad(u -> sum(sin(u) .* u))(\(v))"
    case 9: return "vmap(t -> t * sin(t))(\(v))"
    case 10: return "(\(v)) - mean(\(v))"
    default: return "W * tanh(\(v)) + b"
    }
  }

  /// A scalar expression in `x`.
  mutating func scalar(_ depth: Int) -> String {
    let v = vector(max(0, depth - 1))
    switch int(6) {
    case 0: return "sum(\(v))"
    case 1: return "logsumexp(\(v))"
    case 2: return "dot(\(v), c)"
    case 3: return "(\(v))[\(int(3))]"
    case 4: return "sqrt(1 + sum((\(v)) .* (\(v))))"
    default: return "mean(tanh(\(v)))"
    }
  }

  /// A function of `x` with a randomly chosen result structure: the definition, and an
  /// expression reducing its result to one scalar (`s`) for Hessian checks.
  mutating func function() -> (definition: String, scalarized: String) {
    let depth = 1 + int(3)
    switch int(4) {
    case 0:
      return ("f(x) = \(vector(depth))", "sum(f(x) .* c)")
    case 1:
      return ("f(x) = \(scalar(depth))", "f(x)")
    case 2:
      return ("f(x) = (\(vector(depth)), \(scalar(depth)))", "sum(f(x)[0] .* c) + f(x)[1]")
    default:
      return (
        "f(x) = (\(vector(depth)), (\(scalar(depth)), \(vector(depth))))",
        "sum(f(x)[0]) + f(x)[1][0] + dot(f(x)[1][1], c)"
      )
    }
  }

  /// The constants and helper every program starts with.
  mutating func prelude() -> String {
    let rows = (0..<3).map { _ in vectorLiteral(3) }.joined(separator: ", ")
    return """
      W = [\(rows)]
      b = \(vectorLiteral(3))
      c = \(vectorLiteral(3))
      g(u) = tanh(u) .* u + 0.1 * u

      """
  }
}
