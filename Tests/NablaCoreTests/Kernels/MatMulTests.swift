import Testing

@testable import NablaCore

/// The matrix-product kernels (the packed AVX2 one where the CPU has it, the simple one
/// otherwise) against a float64 product of the same float32 inputs, on shapes that exercise
/// every edge of the 6 × 16 register tiles, 256-deep k blocks and the batch.
@Suite struct MatMulTests {
  @Test(arguments: [
    (1, 1, 1, 1), (1, 5, 7, 3), (1, 6, 256, 16), (1, 7, 257, 17), (1, 100, 300, 50),
    (1, 64, 1, 1000), (1, 1, 2048, 32), (1, 300, 513, 70), (3, 13, 40, 29), (2, 0, 5, 4),
    (1, 4, 0, 3),
  ])
  func productMatchesFloat64(_ shape: (Int, Int, Int, Int)) {
    let (batch, m, k, n) = shape
    var generator = TorchGenerator(seed: 3)
    guard case .f32(let a) = generator.normal(count: batch * m * k, dtype: .f32),
      case .f32(let b) = generator.normal(count: batch * k * n, dtype: .f32)
    else {
      Issue.record("expected float32 draws")
      return
    }
    let c = matmul(a, b, batch: batch, m: m, k: k, n: n)
    #expect(c.count == batch * m * n)
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
    // float32 summation of k terms: a few ulps times log k at most, relative to Σ|terms|
    #expect(worst < 1e-5, "worst relative error \(worst)")
  }
}
