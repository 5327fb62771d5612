import RealModule

/// Standard normal samples from a fixed seed: the random directions and cotangents of a
/// gradient check (JAX's `check_grads` draws them from `RandomState(0)`).
///
/// A private generator (splitmix64, then the Box–Muller transform
/// `√(−2 ln u₁)·cos(2π u₂)` of two uniforms in (0, 1]), not the session's: a check draws the
/// same directions every time and leaves later `randn` draws unchanged.
struct NormalSampler {
  private var state: UInt64

  init(seed: UInt64 = 0x2545_F491_4F6C_DD1D) {
    state = seed
  }

  /// A uniform sample in (0, 1]: 53 random bits, shifted off zero.
  private mutating func uniform() -> Double {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    z ^= z >> 31
    return (Double(z >> 11) + 1) / 9_007_199_254_740_992  // 2⁵³
  }

  /// One standard normal sample.
  mutating func next() -> Double {
    let u1 = uniform()
    let u2 = uniform()
    return (-2 * Double.log(u1)).squareRoot() * Double.cos(2 * Double.pi * u2)
  }

  /// A tensor of `type` filled with samples (rounded to its dtype).
  mutating func tensor(_ type: TensorType) -> Tensor {
    var values: [Double] = []
    values.reserveCapacity(type.count)
    for _ in 0..<type.count { values.append(next()) }
    return Tensor(shape: type.shape, values: values, dtype: type.dtype)
  }
}
