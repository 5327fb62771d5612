import Foundation
import Testing

@testable import NablaCore

/// The float32 kernels of `tanh` and `exp` against float64 libm, in units in the last place.
@Suite struct FastMathTests {
  /// How many float32 steps `a` is from the float64 value `exact`.
  func ulps(_ a: Float, _ exact: Double) -> Double {
    let rounded = Float(exact)
    guard a != rounded else { return 0 }
    let ulp = Double(rounded.ulp)
    return abs(Double(a) - exact) / ulp
  }

  /// Every 97th float32 bit pattern over the ranges that matter, and the edges.
  func samples(_ lo: Float, _ hi: Float) -> [Float] {
    var out: [Float] = []
    var x = lo
    while x < hi {
      out.append(x)
      x = Float(bitPattern: x.bitPattern &+ 97)
    }
    return out
  }

  @Test func tanhIsWithinTwoUlps() {
    var worst = 0.0
    var at: Float = 0
    for x in samples(1e-30, 12) + [0.625, 0.624_999_9, 10, 9.999_99] {
      for v in [x, -x] {
        let e = ulps(FastMath.tanh(v), Foundation.tanh(Double(v)))
        if e > worst { (worst, at) = (e, v) }
      }
    }
    #expect(worst <= 2, "worst \(worst) ulp at \(at)")
    #expect(FastMath.tanh(.infinity) == 1 && FastMath.tanh(-.infinity) == -1)
    #expect(FastMath.tanh(.nan).isNaN)
    #expect(FastMath.tanh(-0.0).sign == .minus && FastMath.tanh(0) == 0)
  }

  /// The `tanh` rule evaluated on float32 elements.
  func tanh(_ x: [Float]) -> [Float] {
    guard case .f32(let y) = Tanh().evaluate([Tensor(shape: [x.count], floats: x)]).storage
    else { return [] }
    return y
  }

  /// The rule's own evaluation (the AVX2 kernel where the CPU has it, the scalar kernel
  /// elsewhere), in lengths that leave every tail.
  @Test func tanhRuleIsWithinTwoUlps() {
    let xs = samples(1e-30, 12).flatMap { [$0, -$0] } + [0.625, -10, .nan, -0.0, 0, .infinity]
    for n in [xs.count, 1, 7, 9, 15] {
      let input = Array(xs.prefix(n))
      let y = tanh(input)
      var worst = 0.0
      for (x, t) in zip(input, y) where !x.isNaN && x.isFinite {
        worst = max(worst, ulps(t, Foundation.tanh(Double(x))))
      }
      #expect(worst <= 2, "worst \(worst) ulp over \(n) elements")
    }
    let edges = tanh([.nan, -0.0, 0, .infinity, -.infinity])
    #expect(edges[0].isNaN && edges[1].sign == .minus && edges[1] == 0 && edges[2].sign == .plus)
    #expect(edges[3] == 1 && edges[4] == -1)
  }

  /// `sin` and `cos` evaluated by their rules (the AVX2 kernel where the CPU has it): within
  /// 2 ulp of float64 over every 97th float up to 10⁴ (past 8192 the kernel hands lanes to
  /// libm), with every tail length, and the edges.
  @Test(arguments: [Primitive.sin, .cos]) func sinAndCosAreWithinTwoUlps(_ p: Primitive) {
    let exact: (Double) -> Double = p == .sin ? { Foundation.sin($0) } : { Foundation.cos($0) }
    let xs = samples(1e-30, 10_000).flatMap { [$0, -$0] }
    for n in [xs.count, 1, 7, 9, 15] {
      let input = Array(xs.prefix(n))
      guard case .f32(let y) = p.rule.evaluate([Tensor(shape: [n], floats: input)]).storage
      else { return }
      var worst = 0.0
      var at: Float = 0
      for (x, v) in zip(input, y) {
        let e = ulps(v, exact(Double(x)))
        if e > worst { (worst, at) = (e, x) }
      }
      #expect(worst <= 2, "\(p): worst \(worst) ulp at \(at) over \(n) elements")
    }
    let edges: [Float] = [.nan, .infinity, -0.0, 0, 1e30, -8192.5]
    guard case .f32(let y) = p.rule.evaluate([Tensor(shape: [6], floats: edges)]).storage
    else { return }
    #expect(y[0].isNaN && y[1].isNaN)
    if p == .sin { #expect(y[2] == 0 && y[2].sign == .minus && y[3].sign == .plus) }
    if p == .cos { #expect(y[2] == 1 && y[3] == 1) }
    #expect(ulps(y[4], exact(Double(edges[4]))) <= 1 && ulps(y[5], exact(Double(edges[5]))) <= 1)
  }

  @Test func expIsWithinTwoUlps() {
    var worst = 0.0
    var at: Float = 0
    for x in samples(1e-30, 88) {
      for v in [x, -min(x, 87)] {
        let e = ulps(FastMath.exp(v), Foundation.exp(Double(v)))
        if e > worst { (worst, at) = (e, v) }
      }
    }
    #expect(worst <= 2, "worst \(worst) ulp at \(at)")
  }
}
