import Testing

@testable import NablaCore

/// `todense`, `spy` and the attributes of a sparse matrix; every other operation on one is a
/// diagnostic that names `todense`.
@Suite struct SparseBuiltinTests {
  static let banded = "f(x) = sin(x[0:4]) .* x[1:5]^2 + cos(x[2:6]); x = linspace(1, 2, 6)"

  /// `todense` of a traced sparse Jacobian, of a bound one, of a Hessian and under `vmap`
  /// equals the dense one (to rounding: the dense one may be computed in the other mode).
  @Test(arguments: [
    "todense(jacobian(f, sparse_output=True)(x)) - jacobian(f)(x)",
    "S = jacobian(f, sparse_output=True)(x); todense(S) - jacobian(f)(x)",
    "g(x) = sum(x[1:] .* x[:-1]^2); todense(hessian(g, sparse_output=True)(x)) - hessian(g)(x)",
    "todense(vmap(x -> todense(jacfwd(f, sparse_output=True)(x)))([x, 2 * x])[1]) - jacobian(f)(2 * x)",
  ])
  func todenseIsTheDenseMatrix(_ program: String) throws {
    let run = Run("\(Self.banded); \(program)", dtype: .f64)
    let t = try run.tensor()
    #expect(!t.doubles.isEmpty && t.doubles.allSatisfy { abs($0) < 1e-14 }, "\(run.diagnostics)")
  }

  /// `todense` is a scatter of the values, so derivatives flow through it.
  @Test func todenseIsDifferentiable() throws {
    let run = Run(
      "\(Self.banded); grad(x -> sum(todense(jacobian(f, sparse_output=True)(x))^2))(x)"
        + " - grad(x -> sum(jacobian(f)(x)^2))(x)", dtype: .f64)
    let t = try run.tensor()
    #expect(t.shape == [6] && t.doubles.allSatisfy { abs($0) < 1e-12 }, "\(run.diagnostics)")
  }

  @Test func sparseMatricesHaveAShapeAndDtype() {
    let run = Run(
      "\(Self.banded); S = jacobian(f, sparse_output=True)(x); (S.shape, S.ndim, S.dtype)")
    #expect(run.values == "((4, 6), 2, float32)\n", "\(run.values)")
  }

  /// Arithmetic, reductions, indexing and heat maps of a sparse matrix say to use `todense`.
  @Test(arguments: ["S + 1", "sum(S)", "S[0]", "2 * S", "heatmap(S)", "S.T"])
  func otherOperationsNameTodense(_ expression: String) {
    let run = Run("\(Self.banded); S = jacobian(f, sparse_output=True)(x); \(expression)")
    #expect(run.diagnostic?.message.id == "notATensor(_:in:help:)", "\(run.diagnostics)")
    #expect(run.diagnostics.contains("got a sparse f32[4,6] (12 stored)"))
    #expect(run.diagnostics.contains("todense(S) gives its dense tensor"))
  }

  /// `spy` of a sparse matrix draws what `spy` of its dense matrix draws, in text, JSON and
  /// SVG, and a large banded one without densifying it (10⁵ × 10⁵ would be 40 GB).
  @Test func spyOfASparseMatrixIsSpyOfItsDenseOne() {
    for format in [OutputFormat.pretty, .json, .plain] {
      let sparse = Run("\(Self.banded); spy(jacobian(f, sparse_output=True)(x))", format: format)
      let dense = Run("\(Self.banded); spy(jacobian(f)(x))", format: format)
      #expect(sparse.values == dense.values && !sparse.values.isEmpty, "\(sparse.diagnostics)")
    }
    let large = Run(
      "spy(jacobian(x -> x[2:] - 2 * x[1:-1] + x[:-2], sparse_output=True)(ones(100000)))")
    #expect(large.values.contains("nz = 299994 of 9999800000"), "\(large.diagnostics)")
  }
}
