import RealModule

/// The special functions whose derivatives need each other: the polygamma family
/// `ψ⁽ⁿ⁾ = dⁿ⁺¹/dxⁿ⁺¹ log Γ` and the inverse error function, computed in float64 and rounded
/// once to float32.
enum SpecialFunctions {
  /// The largest `|x|` of a negative argument `ψ⁽ⁿ⁾` (n ≥ 1) is computed for: the series is
  /// shifted up one step per unit, so further out it would cost a step per unit of `|x|`
  /// (and the function is all poles at that spacing anyway). NaN beyond it.
  static let polygammaShiftLimit = 100_000.0

  /// The largest order `n` computed: `n!` overflows float64 beyond it (the series would be
  /// ∞ · 0); a derivative of that order is NaN.
  static let largestPolygammaOrder = 170

  /// `ψ⁽ⁿ⁾(x)`: the digamma function for `n = 0`, `ψ′ = trigamma` for `n = 1`, …
  /// At the poles (0, −1, −2, …) it is +∞ for odd n and NaN for even n, as JAX gives. For
  /// x < 0 and n ≥ 1 the upward shift cancels: the relative error grows with n and |x|
  /// (about 10⁻⁷ at n = 10, x = −2.5).
  static func polygamma(_ n: Int, _ x: Double) -> Double {
    guard !x.isNaN, n >= 0, n <= largestPolygammaOrder else { return .nan }
    if x <= 0, x == x.rounded(.down) { return n % 2 == 1 ? .infinity : .nan }
    return n == 0 ? digamma(x) : polygammaOfOrder(n, x)
  }

  /// `ψ(x)`: reflected for `x < 0` (`ψ(x) = ψ(1 − x) − π cot πx`), shifted up to `x ≥ 10`
  /// by `ψ(x) = ψ(x + 1) − 1/x`, then the asymptotic series
  /// `ψ(x) ~ log x − 1/(2x) − Σ B₂ₖ / (2k x²ᵏ)`.
  private static func digamma(_ x: Double) -> Double {
    if x == .infinity { return .infinity }
    if x == -.infinity { return .nan }
    if x < 0 {
      // cot(πx) with x reduced to (−½, ½] first, which keeps it exact near the poles
      let r = x - x.rounded()
      return digamma(1 - x) - Double.pi / Double.tan(Double.pi * r)
    }
    var x = x
    var shift = 0.0
    while x < 10 {
      shift -= 1 / x
      x += 1
    }
    let z = 1 / (x * x)
    // B₂ₖ / 2k for k = 1 … 7
    let tail =
      z
      * (1.0 / 12 - z
        * (1.0 / 120 - z
          * (1.0 / 252 - z * (1.0 / 240 - z * (1.0 / 132 - z * (691.0 / 32760 - z / 12))))))
    return shift + Double.log(x) - 0.5 / x - tail
  }

  /// `ψ⁽ⁿ⁾(x) = (−1)ⁿ⁺¹ n! Σₖ 1/(x + k)ⁿ⁺¹` for `n ≥ 1`: shifted up to `x ≥ n + 15`, then
  /// `(−1)ⁿ⁺¹ [(n − 1)!/xⁿ + n!/(2xⁿ⁺¹) + Σₖ B₂ₖ (2k + n − 1)! / ((2k)! x²ᵏ⁺ⁿ)]`.
  private static func polygammaOfOrder(_ n: Int, _ x: Double) -> Double {
    if x == .infinity { return 0 }
    guard x > -polygammaShiftLimit else { return .nan }
    let order = Double(n)
    let sign: Double = n % 2 == 1 ? 1 : -1
    let factorial = Double.gamma(order + 1)
    var x = x
    var sum = 0.0
    let threshold = order + 15
    while x < threshold {
      sum += 1 / Double.pow(x, n + 1)
      x += 1
    }
    // B₂ₖ / (2k)! for k = 1 … 8
    let bernoulliOverFactorial: [Double] = [
      1.0 / 12, -1.0 / 720, 1.0 / 30240, -1.0 / 1_209_600, 1.0 / 47_900_160,
      -691.0 / 1_307_674_368_000, 1.0 / 74_724_249_600, -3617.0 / 10_670_622_842_880_000,
    ]
    // Γ(a) / xᵖ, through logarithms where Γ(a) overflows (n ≥ 170)
    let shifted = x
    func gammaOverPower(_ a: Double, _ p: Double) -> Double {
      let g = Double.gamma(a)
      return g.isFinite
        ? g / Double.pow(shifted, p) : Double.exp(Double.logGamma(a) - p * Double.log(shifted))
    }
    var series = gammaOverPower(order, order) + gammaOverPower(order + 1, order + 1) / 2
    // (2k + n − 1)! / x^(2k + n), built up term by term from k = 1
    var rising = gammaOverPower(order + 2, order + 2)
    for (k, b) in bernoulliOverFactorial.enumerated() {
      series += b * rising
      let m = Double(2 * (k + 1)) + order
      rising *= m * (m + 1) / (x * x)
    }
    return sign * (factorial * sum + series)
  }

  /// `erf⁻¹(x)`: NaN outside [−1, 1], ±∞ at ±1. Giles' single-precision approximation, then
  /// Halley steps (cubically convergent; a handful at most) on `erf(y) = x` (on `erfc(y) = 1 − x` where `|x| > ½`, where `1 − x` is
  /// exact and `erf(y)` would cancel).
  static func erfinv(_ x: Double) -> Double {
    guard !x.isNaN, abs(x) <= 1 else { return .nan }
    if abs(x) == 1 { return x * .infinity }
    if x < 0 { return -erfinv(-x) }
    var w = -Double.log((1 - x) * (1 + x))
    var p: Double
    if w < 5 {
      w -= 2.5
      p = 2.81022636e-08
      for c in [
        3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087, -0.00125372503,
        -0.00417768164, 0.246640727, 1.50140941,
      ] { p = c + p * w }
    } else {
      w = w.squareRoot() - 3
      p = -0.000200214257
      for c in [
        0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613,
        0.00943887047, 1.00167406, 2.83297682,
      ] { p = c + p * w }
    }
    var y = p * x
    for _ in 0..<8 {
      // f = erf y − x, f′ = 2/√π e^(−y²), f″ = −2y f′; Halley: y −= f / (f′ (1 + y f / f′))
      let f = x > 0.5 ? (1 - x) - Double.erfc(y) : Double.erf(y) - x
      let slope = 1.1283791670955126 * Double.exp(-y * y)
      guard slope > 0 else { break }
      let step = f / slope
      let change = step / (1 + y * step)
      y -= change
      if abs(change) <= 1e-17 * abs(y) { break }
    }
    return y
  }
}
