import CKernels
import RealModule

/// PyTorch's default CPU random generator (mt19937 with PyTorch's transforms to floats), bit
/// for bit.
///
/// MT19937 seeded from the low 32 bits of the seed; `rand` takes 24 (float32) or 53 (float64)
/// low bits per value; `randn` fills blocks of 16 with Box–Muller using the Cephes float32
/// polynomials of PyTorch's AVX2 kernel (with its fused multiply-adds), or, below 16 elements,
/// a float64 Box–Muller with a one-value cache that survives between calls.
public struct TorchGenerator: Sendable {
  private var state = [UInt32](repeating: 0, count: 624)
  private var index = 624
  private var cachedNormal: Double?

  public init(seed: Int64 = 0) {
    manualSeed(seed)
  }

  /// `torch.manual_seed(seed)`: only the low 32 bits reach the engine; clears the normal cache.
  public mutating func manualSeed(_ seed: Int64) {
    let s = UInt32(truncatingIfNeeded: UInt64(bitPattern: seed))
    state[0] = s
    for i in 1..<624 {
      let prev = state[i - 1]
      state[i] = 1_812_433_253 &* (prev ^ (prev >> 30)) &+ UInt32(i)
    }
    index = 624
    cachedNormal = nil
  }

  // MARK: - Engine

  private mutating func twist() {
    for i in 0..<624 {
      let next = state[(i + 1) % 624]
      let y = (state[i] & 0x8000_0000) | (next & 0x7FFF_FFFF)
      state[i] = state[(i + 397) % 624] ^ (y >> 1) ^ ((next & 1) != 0 ? 0x9908_B0DF : 0)
    }
  }

  /// One tempered 32-bit output.
  public mutating func next32() -> UInt32 {
    if index >= 624 {
      twist()
      index = 0
    }
    var y = state[index]
    index += 1
    y ^= y >> 11
    y ^= (y << 7) & 0x9D2C_5680
    y ^= (y << 15) & 0xEFC6_0000
    y ^= y >> 18
    return y
  }

  /// Two outputs, the first as the high half.
  public mutating func next64() -> UInt64 {
    let a = UInt64(next32())
    let b = UInt64(next32())
    return (a << 32) | b
  }

  private mutating func uniform32() -> Float {
    Float(next32() & 0x00FF_FFFF) * 0x1p-24
  }

  private mutating func uniform64() -> Double {
    Double(next64() & 0x001F_FFFF_FFFF_FFFF) * 0x1p-53
  }

  // MARK: - Distributions

  /// `torch.rand(count)`: uniform on [0, 1), one draw per float32, two per float64.
  public mutating func uniform(count: Int, dtype: DType) -> Tensor.Storage {
    switch dtype {
    case .f32: .f32(uniforms32(count))
    case .f64: .f64(uniforms64(count))
    }
  }

  /// `count` float32 uniforms, drawn in bulk (what ``uniform32()`` gives one at a time).
  private mutating func uniforms32(_ count: Int) -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
      state.withUnsafeMutableBufferPointer { words in
        nabla_mt_uniform_f32(words.baseAddress, &index, buffer.baseAddress, count)
      }
      initialized = count
    }
  }

  /// `count` float64 uniforms, drawn in bulk (what ``uniform64()`` gives one at a time).
  private mutating func uniforms64(_ count: Int) -> [Double] {
    [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
      state.withUnsafeMutableBufferPointer { words in
        nabla_mt_uniform_f64(words.baseAddress, &index, buffer.baseAddress, count)
      }
      initialized = count
    }
  }

  /// `torch.randn(count)`: standard normal values.
  public mutating func normal(count: Int, dtype: DType) -> Tensor.Storage {
    if count < 16 {
      let values = (0..<count).map { _ in scalarNormal() }
      return dtype == .f32 ? .f32(values.map { Float($0) }) : .f64(values)
    }
    switch dtype {
    case .f32:
      var d = normals32(count)
      if count % 16 != 0 {
        var tail = uniforms32(16)
        Self.boxMullerBlocks(&tail, blocks: 1)
        d.replaceSubrange((count - 16)..<count, with: tail)
      }
      return .f32(d)
    case .f64:
      var d = uniforms64(count)
      var i = 0
      while i + 16 <= count {
        Self.boxMuller16(&d, at: i)
        i += 16
      }
      if count % 16 != 0 {
        var tail = uniforms64(16)
        Self.boxMuller16(&tail, at: 0)
        d.replaceSubrange((count - 16)..<count, with: tail)
      }
      return .f64(d)
    }
  }

  /// `count` float32 uniforms with the first `16 · ⌊count/16⌋` turned into normals, a
  /// chunk at a time while it is in cache: Box–Muller on block b needs only its own 16
  /// uniforms, so the order of draws is that of uniforms first, blocks second.
  private mutating func normals32(_ count: Int) -> [Float] {
    let chunk = 1 << 14
    return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
      state.withUnsafeMutableBufferPointer { words in
        var start = 0
        while start < count {
          let n = min(chunk, count - start)
          let chunkStart = buffer.baseAddress.map { $0 + start }
          nabla_mt_uniform_f32(words.baseAddress, &index, chunkStart, n)
          Self.boxMullerBlocks(.init(start: chunkStart, count: n), blocks: n / 16)
          start += n
        }
      }
      initialized = count
    }
  }

  /// The first `16 · blocks` values of `d` turned from uniforms into normals, eight lanes at
  /// a time where the CPU has AVX2 and `vectorised` (the same bits as the scalar
  /// ``boxMuller16(_:at:)``).
  static func boxMullerBlocks(_ d: inout [Float], blocks: Int, vectorised: Bool = true) {
    d.withUnsafeMutableBufferPointer { boxMullerBlocks($0, blocks: blocks, vectorised: vectorised) }
  }

  private static func boxMullerBlocks(
    _ d: UnsafeMutableBufferPointer<Float>, blocks: Int, vectorised: Bool = true
  ) {
    if hasVectorKernels && vectorised {
      nabla_box_muller_f32_avx2(d.baseAddress, blocks)
    } else {
      for b in 0..<blocks { boxMuller16(d, at: 16 * b) }
    }
  }

  /// The scalar path: float64 Box–Muller, radius from the second uniform, one value cached.
  private mutating func scalarNormal() -> Double {
    if let cached = cachedNormal {
      cachedNormal = nil
      return cached
    }
    let u1 = uniform64()
    let u2 = uniform64()
    let r = (-2 * Double.log(onePlus: -u2)).squareRoot()
    let theta = 6.283185307179586 * u1
    cachedNormal = r * Double.sin(theta)
    return r * Double.cos(theta)
  }

  // MARK: - Box–Muller blocks

  private static func boxMuller16(_ d: UnsafeMutableBufferPointer<Float>, at base: Int) {
    for j in 0..<8 {
      let u1 = 1 - d[base + j]
      let u2 = d[base + j + 8]
      let radius = (-2 * cephesLog(u1)).squareRoot()
      let theta = Float(bitPattern: 0x40C9_0FDB) * u2
      let (s, c) = cephesSinCos(theta)
      d[base + j] = radius * c
      d[base + j + 8] = radius * s
    }
  }

  private static func boxMuller16(_ d: inout [Double], at base: Int) {
    for j in 0..<8 {
      let u1 = 1 - d[base + j]
      let u2 = d[base + j + 8]
      let radius = (-2 * Double.log(u1)).squareRoot()
      let theta = 6.283185307179586 * u2
      d[base + j] = radius * Double.cos(theta)
      d[base + j + 8] = radius * Double.sin(theta)
    }
  }

  /// `fma(a, b, c)` = a·b + c with one rounding.
  @inline(__always) private static func fma(_ a: Float, _ b: Float, _ c: Float) -> Float {
    c.addingProduct(a, b)
  }

  /// The polynomial of ``cephesLog(_:)``, highest power first.
  private static let logCoefficients: [UInt32] = [
    0x3D90_21BB, 0xBDEB_D1B8, 0x3DEF_251A, 0xBDFE_5D4F, 0x3E11_E9BF,
    0xBE2A_AE50, 0x3E4C_CEAC, 0xBE7F_FFFC, 0x3EAA_AAAA,
  ]

  /// Cephes `logf` as in PyTorch's AVX2 `log256_ps`, for x in (0, 1].
  static func cephesLog(_ input: Float) -> Float {
    let x0 = max(input, Float(bitPattern: 0x0080_0000))
    let bits = x0.bitPattern
    var e = Float(Int32(bitPattern: bits >> 23) - 127) + 1
    let m = Float(bitPattern: (bits & 0x807F_FFFF) | 0x3F00_0000)
    var x: Float
    if m < Float(bitPattern: 0x3F35_04F3) {
      e -= 1
      let t = m - 1
      x = t + m
    } else {
      x = m - 1
    }
    let z = x * x
    let p = logCoefficients
    var y = Float(bitPattern: p[0])
    for k in 1...8 { y = fma(y, x, Float(bitPattern: p[k])) }
    y = y * x
    y = fma(y, z, e * Float(bitPattern: 0xB95E_8083))
    y = y - z * 0.5
    x = x + y
    x = x + e * Float(bitPattern: 0x3F31_8000)
    return x
  }

  /// Cephes `sincosf` as in PyTorch's AVX2 `sincos256_ps`, for t ≥ 0.
  static func cephesSinCos(_ t: Float) -> (sin: Float, cos: Float) {
    let signSin = t.sign == .minus
    var x = abs(t)
    var y = x * Float(bitPattern: 0x3FA2_F983)
    var j = Int32(y)
    j = (j &+ 1) & ~1
    y = Float(j)
    let swapSin = (j & 4) != 0
    let usePolySin = (j & 2) == 0
    let cosNegative = ((j &- 2) & 4) == 0
    x = fma(y, Float(bitPattern: 0xBF49_0000), x)
    x = fma(y, Float(bitPattern: 0xB97D_A000), x)
    x = fma(y, Float(bitPattern: 0xB322_2169), x)
    let z = x * x
    var c = fma(Float(bitPattern: 0x37CC_F5CE), z, Float(bitPattern: 0xBAB6_061A))
    c = fma(c, z, Float(bitPattern: 0x3D2A_AAA5))
    c = c * z
    c = fma(c, z, -(z * 0.5))
    c = c + 1
    var s = fma(Float(bitPattern: 0xB94C_A1F9), z, Float(bitPattern: 0x3C08_839E))
    s = fma(s, z, Float(bitPattern: 0xBE2A_AAA3))
    s = s * z
    s = fma(s, x, x)
    var sinValue = usePolySin ? s : c
    var cosValue = usePolySin ? c : s
    if swapSin != signSin { sinValue = Float(bitPattern: sinValue.bitPattern ^ 0x8000_0000) }
    if cosNegative { cosValue = Float(bitPattern: cosValue.bitPattern ^ 0x8000_0000) }
    return (sinValue, cosValue)
  }
}
