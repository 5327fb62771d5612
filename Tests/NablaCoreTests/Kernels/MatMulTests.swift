import Testing

@testable import NablaCore

/// The matrix-product kernels (the packed AVX2 ones where the CPU has them, the simple one
/// otherwise) against products summed term by term in float64, on shapes that exercise every
/// edge of the register tiles (6 × 16 float32, 6 × 8 float64), 256-deep k blocks and the batch.
@Suite struct MatMulTests {
  @Test(arguments: [
    (1, 1, 1, 1), (1, 5, 7, 3), (1, 6, 256, 16), (1, 7, 257, 17), (1, 100, 300, 50),
    (1, 64, 1, 1000), (1, 1, 2048, 32), (1, 300, 513, 70), (3, 13, 40, 29), (2, 0, 5, 4),
    (1, 4, 0, 3),
  ])
  func float32ProductMatchesFloat64(_ shape: (Int, Int, Int, Int)) {
    var generator = TorchGenerator(seed: 3)
    guard case .f32(let a) = generator.normal(count: shape.0 * shape.1 * shape.2, dtype: .f32),
      case .f32(let b) = generator.normal(count: shape.0 * shape.2 * shape.3, dtype: .f32)
    else {
      Issue.record("expected float32 draws")
      return
    }
    // float32 summation of k terms: a few ulps times log k at most, relative to Σ|terms|
    expectProduct(a, b, shape, tolerance: 1e-5)
  }

  @Test(arguments: [(1, 7, 257, 17), (1, 100, 300, 50), (2, 13, 600, 9), (1, 1, 2048, 32)])
  func float64ProductMatchesExactSums(_ shape: (Int, Int, Int, Int)) {
    var generator = TorchGenerator(seed: 4)
    guard case .f64(let a) = generator.normal(count: shape.0 * shape.1 * shape.2, dtype: .f64),
      case .f64(let b) = generator.normal(count: shape.0 * shape.2 * shape.3, dtype: .f64)
    else {
      Issue.record("expected float64 draws")
      return
    }
    expectProduct(a, b, shape, tolerance: 1e-13)
  }

  /// `matmul(a, b)` against a float64 product computed term by term, relative to Σ|terms|.
  func expectProduct<T: TensorScalar>(
    _ a: [T], _ b: [T], _ shape: (Int, Int, Int, Int), tolerance: Double,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let (batch, m, k, n) = shape
    let c = matmul(a, b, batch: batch, m: m, k: k, n: n, cancellation: nil)
    #expect(c.count == batch * m * n, sourceLocation: sourceLocation)
    var worst = 0.0
    for bi in 0..<batch {
      for i in 0..<m {
        for j in 0..<n {
          var exact = 0.0
          var magnitude = 0.0
          for p in 0..<k {
            let term = Double(a[(bi * m + i) * k + p]) * Double(b[(bi * k + p) * n + j])
            exact += term
            magnitude += abs(term)
          }
          let error = abs(Double(c[(bi * m + i) * n + j]) - exact) / max(magnitude, 1e-30)
          worst = max(worst, error)
        }
      }
    }
    #expect(worst < tolerance, "worst relative error \(worst)", sourceLocation: sourceLocation)
  }
}
