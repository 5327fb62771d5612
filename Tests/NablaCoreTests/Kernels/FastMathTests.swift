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
