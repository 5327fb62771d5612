import Foundation
import Testing

@testable import NablaCore

/// The float32 kernels of `tanh`, `sin`, `cos`, `exp`, `log` and `log1p` against float64 libm,
/// in units in the last place.
@Suite struct FastMathTests {
  /// How many float32 steps `a` is from the float64 value `exact`.
  func ulps(_ a: Float, _ exact: Double) -> Double {
    let rounded = Float(exact)
    guard a != rounded else { return 0 }
    let ulp = Double(rounded.ulp)
    return abs(Double(a) - exact) / ulp
  }

  /// Every `every`th float32 bit pattern from `lo` to `hi`.
  func samples(_ lo: Float, _ hi: Float, every: UInt32 = 97) -> [Float] {
    var out: [Float] = []
    var x = lo
    while x < hi {
      out.append(x)
      x = Float(bitPattern: x.bitPattern &+ every)
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

  /// A primitive evaluated by its rule on float32 elements (the AVX2 kernel where the CPU has
  /// it, the scalar one elsewhere).
  func evaluated(_ p: Primitive, _ x: [Float]) -> [Float] {
    guard case .f32(let y) = p.rule.evaluate([Tensor(shape: [x.count], floats: x)]).storage
    else { return [] }
    return y
  }

  /// A unary primitive's float64 reference, the range its kernel is tested over (every 97th
  /// float or a sparser sweep, both signs where the function takes them) and edges whose results libm gives.
  struct UnaryKernelCase: CustomTestStringConvertible, Sendable {
    var primitive: Primitive
    var exact: @Sendable (Double) -> Double
    var samples: @Sendable (FastMathTests) -> [Float]
    var edges: [Float]
    var testDescription: String { "\(primitive)" }
  }

  static let unaryKernels: [UnaryKernelCase] = [
    .init(
      primitive: .sin, exact: { Foundation.sin($0) },
      samples: { t in t.samples(1e-30, 10_000).flatMap { [$0, -$0] } },
      edges: [.nan, .infinity, -0.0, 0, 1e30, -8192.5]),
    .init(
      primitive: .cos, exact: { Foundation.cos($0) },
      samples: { t in t.samples(1e-30, 10_000).flatMap { [$0, -$0] } },
      edges: [.nan, .infinity, -0.0, 0, 1e30, -8192.5]),
    .init(
      primitive: .exp, exact: { Foundation.exp($0) },
      samples: { t in t.samples(1e-30, 87, every: 389).flatMap { [$0, -$0] } },
      edges: [.nan, .infinity, -.infinity, -0.0, 0, 88.5, -87.5, -100, -104, 100]),
    .init(
      primitive: .log, exact: { Foundation.log($0) },
      samples: { t in t.samples(1e-37, 3e38, every: 997) },
      edges: [
        .nan, .infinity, -.infinity, -0.0, 0, -1, Float.leastNormalMagnitude / 16, 1,
        Float.leastNormalMagnitude,
      ]),
    .init(
      primitive: .log1p, exact: { Foundation.log1p($0) },
      samples: { t in
        t.samples(1e-30, 3e38, every: 997) + t.samples(1e-30, 1, every: 389).map { -$0 }
      },
      edges: [
        .nan, .infinity, -.infinity, -0.0, 0, -1, -2, Float.leastNormalMagnitude / 16,
        -Float.leastNormalMagnitude / 16, 3e38,
      ]),
  ]

  /// Within 2 ulp of float64 over the tested range with every tail length, and edges (NaN,
  /// infinities, signed zeros, beyond the kernels' ranges) as libm gives them.
  @Test(arguments: unaryKernels) func unaryKernelIsWithinTwoUlps(_ c: UnaryKernelCase) {
    let xs = c.samples(self)
    for n in [xs.count, 1, 7, 9, 15] {
      let input = Array(xs.prefix(n))
      var worst = 0.0
      var at: Float = 0
      for (x, v) in zip(input, evaluated(c.primitive, input)) {
        let e = ulps(v, c.exact(Double(x)))
        if e > worst { (worst, at) = (e, x) }
      }
      #expect(worst <= 2, "worst \(worst) ulp at \(at) over \(n) elements")
    }
    for (x, y) in zip(c.edges, evaluated(c.primitive, c.edges)) {
      let expected = Float(c.exact(Double(x)))
      let same =
        expected.isNaN ? y.isNaN : y == expected && (y != 0 || y.sign == expected.sign)
      let close = expected.isFinite && expected != 0 && ulps(y, c.exact(Double(x))) <= 1
      #expect(same || close, "\(c.primitive)(\(x)) = \(y), libm gives \(expected)")
    }
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
