import Testing

@testable import NablaCore

/// A function value prints as the formula it computes, in nabla's own language, and the
/// formula pasted back computes the same numbers.
@Suite struct FormulaTests {
  /// The formula `program` prints (its last statement is a function).
  func printed(_ program: String) -> String {
    Run(program, dtype: .f64).values.trimmingSpaces()
  }

  @Test func derivativesPrintAsFormulas() {
    #expect(printed("grad(x -> x^2 * sin(x))") == "x -> x^2 * cos(x) + 2 * x * sin(x)")
    #expect(printed("grad(grad(x -> x^3))") == "x -> 6 * x")
    #expect(printed("grad(x -> x^3)") == "x -> 3 * x^2")
    // formula(f) gives the text as a value; a function with no formula is an error
    #expect(printed("formula(grad(x -> x^3))") == "x -> 3 * x^2")
    #expect(Run("formula(x -> (x, x))").diagnostic?.message.id == "invalidArgument(_:_:help:)")
    #expect(printed("hessian(x -> x^4)") == "x -> 12 * x^2")
    #expect(printed("grad(tanh)") == "x -> 1 - tanh(x)^2")
    #expect(printed("f(x) = exp(-x^2 / 2); grad(f)") == "x -> -x * exp(-x^2 / 2)")
    #expect(printed("g(x, y) = x * y + sin(x); grad(g)") == "(x, y) -> cos(x) + y")
    #expect(printed("grad(x -> x - 3 * x^2 + 1)") == "x -> 1 - 6 * x")
    #expect(printed("grad(grad(abs))") == "x -> 0.0")
    // a tuple-valued function has no single formula
    #expect(printed("grad(x -> x^2, has_aux=False)").hasPrefix("x -> "))
    #expect(printed("g(x, y) = x * y; grad(g, argnums=(0, 1))").hasPrefix("<function"))
  }

  /// Every elementwise built-in of one argument, its derivative and its second derivative:
  /// the printed formula, evaluated in float64 at points of the domain, equals the function.
  @Test(arguments: [
    "sin", "cos", "tan", "exp", "log", "sqrt", "tanh", "sinh", "cosh", "asinh", "atan",
    "sigmoid", "expm1", "log1p", "erf", "abs", "rsqrt", "cbrt", "atanh", "asin", "acos",
  ])
  func formulasRoundTrip(_ name: String) {
    for function in ["x -> \(name)(x)", "grad(x -> \(name)(x))", "grad(grad(x -> \(name)(x)))"] {
      let formula = printed("f = \(function); f")
      #expect(formula.hasPrefix("x -> "), "\(function) printed \(formula)")
      guard formula.hasPrefix("x -> ") else { continue }
      for point in [0.25, 0.5, 0.75] {
        let run = Run(
          "f = \(function); g = \(formula); (f(\(point)), g(\(point)))", dtype: .f64)
        guard case .tuple(let pair)? = run.value, case .tensor(let a) = pair[0],
          case .tensor(let b) = pair[1]
        else {
          Issue.record("\(function) at \(point): \(run.diagnostics)")
          continue
        }
        let (x, y) = (a[flat: 0], b[flat: 0])
        #expect(abs(x - y) <= 1e-12 * max(1, abs(x)), "\(function) = \(formula) at \(point)")
      }
    }
  }
}
