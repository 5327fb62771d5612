/// Float32 `exp` and `tanh` written out (Cephes' polynomials), so the loops that call them
/// vectorise: glibc's `tanhf` costs about 20 ns an element, these a few. Both stay within 2
/// ulp of the exact results (checked against float64 in the tests); float64 keeps libm's.
enum FastMath {
  /// `eˣ` for `−87 ≤ x ≤ 88`, where it is a normal float32 (arguments outside, NaN included,
  /// are clamped into it): `x = n ln 2 + r` with `|r| ≤ ln 2 / 2`, `eʳ` by a degree-7
  /// polynomial, and `2ⁿ` put in the exponent bits.
  @inline(__always)
  static func exp(_ x: Float) -> Float {
    let x: Float = x < 88 ? (x > -87 ? x : -87) : 88
    // round to nearest by adding and removing 1.5·2²³ (no call to rintf without SSE4.1)
    let shifted = x * 1.442_695_04 + 12_582_912
    let n = shifted - 12_582_912
    let r = (x - n * 0.693_359_375) + n * 2.121_944_4e-4  // ln 2 in two parts: exact n·C1
    var p: Float = 1.987_569_15e-4
    p = p * r + 1.398_199_95e-3
    p = p * r + 8.333_451_9e-3
    p = p * r + 4.166_579_59e-2
    p = p * r + 1.666_666_55e-1
    p = p * r + 5.000_000_12e-1
    let e = (p * r) * r + r + 1
    // n is also in the low mantissa bits of `shifted` (1.5·2²³ + n): 2ⁿ without a conversion
    let exponent = (shifted.bitPattern &- 0x4B40_0000 &+ 127) << 23
    return e * Float(bitPattern: exponent)
  }

  /// `tanh x`: an odd polynomial below |x| = 0.625, else `1 − 2 / (e²ˣ + 1)` with the sign of
  /// x (beyond |x| = 10, tanh rounds to ±1 in float32).
  @inline(__always)
  static func tanh(_ x: Float) -> Float {
    let a: Float = Swift.abs(x) < 10 ? Swift.abs(x) : 10  // NaN too: it is returned below
    let z = x * x
    var p: Float = -5.704_988_73e-3
    p = p * z + 2.063_908_88e-2
    p = p * z - 5.373_971_56e-2
    p = p * z + 1.333_144_22e-1
    p = p * z - 3.333_328_19e-1
    let small = (p * z) * x + x
    let large = 1 - 2 / (exp(a + a) + 1)
    let result = Swift.abs(x) < 0.625 ? small : (x < 0 ? -large : large)
    return x.isNaN || x == 0 ? x : result  // keeps NaN and the sign of zero
  }
}
