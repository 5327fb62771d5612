import Foundation
import Testing

@testable import NablaCore

/// Sparse Jacobians and Hessians: the detected pattern is the closed form's, colouring uses as
/// few products as the structure allows, and every result equals the dense one.
@Suite struct SparseJacobianTests {
  static let banded = "f(x) = sin(x[0:6]) .* x[1:7]^2 + cos(x[2:8])"
  static let rosenbrock = "f(x) = sum((1 - x[0:7])^2 + 100 * (x[1:8] - x[0:7]^2)^2)"

  func sparse(_ program: String) throws -> SparseMatrix {
    let run = Run(program, dtype: .f64)
    guard case .sparse(let s) = run.value else {
      Issue.record("not sparse: \(run.values) \(run.diagnostics)")
      throw DenseDependence()
    }
    return s
  }

  /// The entries of a pattern as `(row, column)` pairs.
  func entries(_ p: SparsityPattern) -> [[Int]] {
    zip(p.rowIndices, p.columnIndices).map { [$0, $1] }
  }

  @Test func bandedMapHasThreeDiagonalsAndTheirValues() throws {
    let x = (0..<8).map { 0.3 + 0.2 * Double($0) }
    let s = try sparse(
      "\(Self.banded); x = \(x); jacobian(f, sparse_output=True)(x)")
    let expected = (0..<6).flatMap { i in [[i, i], [i, i + 1], [i, i + 2]] }
    #expect(entries(s.pattern) == expected)
    // y_i = sin(x_i) x_{i+1}² + cos(x_{i+2})
    var closed: [Double] = []
    for i in 0..<6 {
      let (a, b, c) = (x[i], x[i + 1], x[i + 2])
      closed += [Foundation.cos(a) * b * b, 2 * Foundation.sin(a) * b, -Foundation.sin(c)]
    }
    guard case .tensor(let values) = s.values else { throw DenseDependence() }
    for (a, b) in zip(values.doubles, closed) { #expect(Swift.abs(a - b) < 1e-12) }
  }

  @Test func rosenbrockHessianIsTridiagonal() throws {
    let s = try sparse(
      "\(Self.rosenbrock); x = linspace(-1, 1, 8); hessian(f, sparse_output=True)(x)")
    let expected = (0..<8).flatMap { i in (max(0, i - 1)...min(7, i + 1)).map { [i, $0] } }
    #expect(entries(s.pattern) == expected)
  }

  /// What the pattern leaves out: piecewise constant functions, products with constant zeros,
  /// the branch a constant condition does not take; what it moves: slices, reversals, pads.
  @Test(arguments: [
    ("x -> floor(x) + x[0]", [[0, 0], [1, 0], [2, 0], [3, 0]]),
    ("x -> [[1, 0, 0, 0], [0, 0, 2, 0]] * x", [[0, 0], [1, 2]]),
    ("x -> where([1, 0, 1, 0] > 0, x, flip(x))", [[0, 0], [1, 2], [2, 2], [3, 0]]),
    ("x -> concat((x[2:4], sum(x[0:2]) * ones(1)), dim=0)", [[0, 2], [1, 3], [2, 0], [2, 1]]),
    ("x -> sign(x) .* exp(x)", [[0, 0], [1, 1], [2, 2], [3, 3]]),
  ])
  func patternFollowsEachPrimitive(_ f: String, _ expected: [[Int]]) throws {
    let s = try sparse("jacobian(\(f), sparse_output=True)([0.5, -1, 2, 3])")
    #expect(entries(s.pattern) == expected, "\(f)")
  }

  /// Every transform that takes `sparse=True` gives the dense result, also with several
  /// arguments, auxiliary outputs, tuples of outputs, under `vmap`, and differentiated again
  /// (through the gather that reads the non-zeros out).
  @Test(arguments: [
    "jacfwd(f, sparse=S)(x)", "jacrev(f, sparse=S)(x)", "jacobian(f, sparse=S)(x)",
    "hessian(g, sparse=S)(x)", "jacobian(h, argnums=(0, 1), sparse=S)(x, x[0:6])",
    "jacrev(k, has_aux=True, sparse=S)(x)", "jacfwd(t, sparse=S)(x)",
    "vmap(jacrev(f, sparse=S))(reshape(linspace(0, 1, 24), 3, 8))",
    "grad(x -> sum(jacfwd(f, sparse=S)(x)^2))(x)", "jacrev(jacfwd(f, sparse=S))(x)",
    "hessian(g, sparse=S)(x) * 2 + jacobian(grad(g), sparse=S)(x)",
  ])
  func sparseEqualsDense(_ call: String) throws {
    let prelude = """
      \(Self.banded); \(Self.rosenbrock.replacingOccurrences(of: "f(x)", with: "g(x)"))
      h(x, z) = f(x) .* z
      k(x) = (f(x), sum(x))
      t(x) = (f(x), x[0:3] * 2)
      x = linspace(0.1, 1.3, 8)

      """
    let sparse = Run(prelude + call.replacingOccurrences(of: "=S", with: "=True"), dtype: .f64)
    let dense = Run(prelude + call.replacingOccurrences(of: "=S", with: "=False"), dtype: .f64)
    #expect(sparse.status == 0, "\(sparse.diagnostics)")
    #expect(sparse.values == dense.values, "\(call)")
  }

  @Test func colourCountsAreTheStructuresMinimum() throws {
    let run = Run(
      """
      \(Self.banded); \(Self.rosenbrock.replacingOccurrences(of: "f(x)", with: "g(x)"))
      x = linspace(0, 1, 8)
      a = jacfwd(f, sparse=True)(x)
      b = hessian(g, sparse=True)(x)
      c = hessian(x -> sum(x[0] * x), sparse=True)(x)
      jacrev(x -> exp(x), sparse=True)(x)
      """, configure: { $0.explain = true })
    let colours = run.diagnostics.matches(of: /(\d+) colours \((\w+) colouring/).map {
      "\($0.1) \($0.2)"
    }
    // three columns of a band; a tridiagonal Hessian's star colouring; an arrow's (column
    // colouring would need 8); a diagonal's rows
    #expect(colours == ["3 column", "3 star", "2 star", "1 row"], "\(run.diagnostics)")
  }

  /// Left to choose, colouring is used where it pays, not for a dense Jacobian.
  @Test func automaticChoiceFollowsTheColours() throws {
    let run = Run(
      """
      W = reshape(linspace(-1, 1, 64), 8, 8); x = linspace(0, 1, 8)
      a = jacobian(x -> exp(x))(x)
      jacobian(x -> tanh(W * x))(x)
      """, configure: { $0.explain = true })
    #expect(run.diagnostics.contains("1 colours (column colouring"), "\(run.diagnostics)")
    #expect(!run.diagnostics.contains("8 colours"), "\(run.diagnostics)")
  }

  /// A mode whose lower bound on colours (a full column for rows, a full row for columns)
  /// cannot pay is not coloured at all, and `jacrev` of a tall Jacobian compares with the
  /// forward basis it would use dense: the Hessian-by-`jacrev∘jacrev` of `tanh(W x + b)`
  /// (2048 × 64, every column full) is dense without a colouring search.
  @Test func fullRowsOrColumnsAreNotColoured() throws {
    let run = Run(
      """
      W = reshape(linspace(-1, 1, 2048), 32, 64); b = linspace(0, 1, 32); x = linspace(-1, 1, 64)
      predict(W, b, x) = tanh(matmul(W, x) + b)
      jacrev(jacrev(predict, argnums=2), argnums=2)(W, b, x)
      """, configure: { $0.explain = true })
    #expect(try run.tensor().shape == [32, 64, 64])
    #expect(!run.diagnostics.contains("colours ("), "\(run.diagnostics)")
    // a pattern as wide as the matrix gets one colour per column, found without a search
    let n = 3000
    let dense = SparsityPattern(
      rows: n, columns: n, rowStarts: (0...n).map { $0 * n },
      columnIndices: Array((0..<n).map { _ in Array(0..<n) }.joined()))
    #expect(Colouring.columns(dense).colours == Array(0..<n))
    #expect(Colouring.star(dense) == nil)
  }

  @Test func colouringsGroupOnlyIndependentColumns() {
    var state: UInt64 = 7
    for trial in 0..<40 {
      let (rows, columns) = (5 + trial % 7, 4 + trial % 9)
      var starts = [0]
      var indices: [Int] = []
      for _ in 0..<rows {
        for j in 0..<columns {
          state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
          if state >> 61 == 0 { indices.append(j) }
        }
        starts.append(indices.count)
      }
      let p = SparsityPattern(
        rows: rows, columns: columns, rowStarts: starts, columnIndices: indices)
      let c = Colouring.columns(p)
      for i in 0..<rows {
        let colours = p[row: i].map { c.colours[$0] }
        #expect(Set(colours).count == colours.count, "row \(i) of \(p)")
      }
      // the symmetric pattern p + pᵀ restricted to a square, with its diagonal
      let n = min(rows, columns)
      var sets = (0..<n).map { Set([$0]) }
      for i in 0..<n { for j in p[row: i] where j < n { sets[i].insert(j); sets[j].insert(i) } }
      var symStarts = [0]
      var symIndices: [Int] = []
      for s in sets {
        symIndices += s.sorted()
        symStarts.append(symIndices.count)
      }
      let symmetric = SparsityPattern(
        rows: n, columns: n, rowStarts: symStarts, columnIndices: symIndices)
      if let star = Colouring.star(symmetric) {
        #expect(star.recoversSymmetric(symmetric))
        #expect(star.count <= Colouring.columns(symmetric).count + 1)
      }
    }
  }

  /// `jacobian_sparsity` and `hessian_sparsity` give the pattern the sparse results have,
  /// as ones.
  @Test func sparsityTransformsGiveThePatternAsOnes() throws {
    let x = "x = linspace(-1, 1, 8)"
    let jacobian = try sparse("\(Self.banded); \(x); jacobian(f, sparse_output=True)(x)")
    let pattern = try sparse("\(Self.banded); \(x); jacobian_sparsity(f)(x)")
    #expect(pattern.pattern == jacobian.pattern)
    let hessian = try sparse("\(Self.rosenbrock); \(x); hessian(f, sparse_output=True)(x)")
    let hessianPattern = try sparse("\(Self.rosenbrock); \(x); hessian_sparsity(f)(x)")
    #expect(hessianPattern.pattern == hessian.pattern)
    for s in [pattern, hessianPattern] {
      guard case .tensor(let ones) = s.values else { throw DenseDependence() }
      #expect(ones.doubles.allSatisfy { $0 == 1 })
    }
  }

  @Test func sparseValuesPrintAsAListing() throws {
    let run = Run("jacobian(x -> x^2, sparse_output=True)([1, 2, 3])")
    #expect(
      run.values.hasPrefix(
        "sparse(shape=(3, 3), nnz=3, dtype=float32)\n  (0, 0)\t2.0\n  (1, 1)\t4.0\n  (2, 2)\t6.0"),
      "\(run.values)")
  }
}
