import Testing

@testable import NablaCore

/// Test vectors that PyTorch's CPU generator produced, bit for bit.
@Suite struct TorchGeneratorTests {
  func floats(_ storage: Tensor.Storage) -> [UInt32] {
    guard case .f32(let a) = storage else { return [] }
    return a.map(\.bitPattern)
  }

  func doubles(_ storage: Tensor.Storage) -> [UInt64] {
    guard case .f64(let a) = storage else { return [] }
    return a.map(\.bitPattern)
  }

  func mismatches<T: Equatable>(_ a: [T], _ b: [T]) -> Int {
    zip(a, b).filter { $0 != $1 }.count
  }

  @Test func engineMatchesMT19937() {
    var g = TorchGenerator(seed: 0)
    #expect(
      (0..<5).map { _ in g.next32() } == [
        2_357_136_044, 2_546_248_239, 3_071_714_933, 3_626_093_760, 2_588_848_963,
      ])
    // Sometimes numbered "#624..#626 (0-based)"; they are 0-based 623…625 (1-based
    // 624…626), as numpy.random.RandomState(0), the same MT19937, confirms.
    for _ in 5..<623 { _ = g.next32() }
    #expect((0..<3).map { _ in g.next32() } == [3_791_854_820, 341_544_762, 1_076_416_385])
    var g1 = TorchGenerator(seed: 1)
    #expect(
      (0..<5).map { _ in g1.next32() } == [
        1_791_095_845, 4_282_876_139, 3_093_770_124, 4_005_303_368, 491_263,
      ])
  }

  @Test func seedsEqualModulo2To32GiveTheSameStream() {
    var a = TorchGenerator(seed: 7)
    var b = TorchGenerator(seed: (1 << 32) + 7)
    #expect((0..<10).map { _ in a.next32() } == (0..<10).map { _ in b.next32() })
  }

  @Test func randFloat32AndFloat64() {
    var g = TorchGenerator(seed: 0)
    #expect(
      floats(g.uniform(count: 5, dtype: .f32)) == [
        0x3efe_1558, 0x3f44_aa2f, 0x3db5_33a8, 0x3e07_3300, 0x3e9d_6686,
      ])
    g.manualSeed(0)
    #expect(
      doubles(g.uniform(count: 3, dtype: .f64)) == [
        0x3fef_0aac_97c4_aa2f, 0x3fe6_a675_d821_ccc0, 0x3fdd_6687_b744_a5f6,
      ])
  }

  @Test func randnBlockPath() {
    var g = TorchGenerator(seed: 0)
    #expect(
      floats(g.normal(count: 16, dtype: .f32)) == [
        0xbf90_1b85, 0xbf93_808a, 0xbe80_4bd6, 0xbede_255d, 0x3f59_4515, 0x3f31_2783, 0xbea1_cc6d,
        0xc007_5fc1,
        0x3ea5_0138, 0xbfa1_b4f4, 0x3eb3_30ff, 0x3e9d_c3bb, 0x3df5_6f77, 0x3f9e_6b93, 0x3f8e_f28e,
        0xbe7d_367c,
      ])
  }

  @Test func randnTailIsRecomputedFromFreshUniforms() {
    var g = TorchGenerator(seed: 0)
    #expect(
      floats(g.normal(count: 17, dtype: .f32)) == [
        0xbf90_1b85, 0xbfd9_1446, 0x3f11_1004, 0x3f4b_235d, 0x3f19_4d8b, 0xbfc7_0d5b, 0xbeae_c6ca,
        0x3fed_2f4e,
        0x3eef_aa55, 0xbf15_e32b, 0xbe31_8eeb, 0x3e3b_e1a4, 0x3fb1_d6c0, 0x3fcb_0d00, 0x3f72_409c,
        0xbf57_fb33,
        0x3f6e_8c30,
      ])
  }

  @Test func randnLongVectorIncludingFusedMultiplyAdds() {
    var g = TorchGenerator(seed: 1)
    let v = floats(g.normal(count: 2048, dtype: .f32))
    #expect(
      Array(v.prefix(10)) == [
        0xbfc3_46ba, 0xbf40_0f31, 0xbf27_6b4b, 0xbfce_0399, 0xbdcd_2473, 0xbf1b_f3ce, 0xbf7a_d25b,
        0xbfcd_f6de,
        0xbf36_4f1c, 0x3e9b_8173,
      ])
    #expect(Array(v.suffix(3)) == [0x3f08_00ea, 0x3e1f_a514, 0x3e2f_aed2])
    #expect(v[21] == 0x3e7a_4504)
    #expect(v[29] == 0xbf1e_2480)
  }

  @Test func randnScalarPathCachesOneValue() {
    var g = TorchGenerator(seed: 0)
    #expect(
      floats(g.normal(count: 5, dtype: .f32)) == [
        0x3fc5_3f5c, 0xbe96_3c50, 0xc00b_7149, 0x3f11_84b6, 0xbf8a_d1a1,
      ])
    g.manualSeed(0)
    let ones = (0..<3).flatMap { _ in floats(g.normal(count: 1, dtype: .f32)) }
    #expect(ones == [0x3fc5_3f5c, 0xbe96_3c50, 0xc00b_7149])
    g.manualSeed(0)
    #expect(
      doubles(g.normal(count: 5, dtype: .f64)) == [
        0x3ff8_a7eb_8902_be3a, 0xbfd2_c78a_087c_6fea, 0xc001_6e29_20a7_0ee5, 0x3fe2_3096_ca3e_350d,
        0xbff1_5a34_1987_e136,
      ])
  }

  @Test func randnFloat64BlockPath() {
    var g = TorchGenerator(seed: 0)
    #expect(
      Array(doubles(g.normal(count: 16, dtype: .f64)).prefix(5)) == [
        0xc002_7bb9_2e92_62dc, 0xbfd7_e357_9493_9460, 0xbff0_f91a_e8d6_85b6, 0x3fef_fbfb_0ada_994b,
        0xbfec_49ee_ce71_0105,
      ])
  }

  @Test func tutorialTensorsAfterSeedZero() throws {
    let run = Run("W = randn(16, 16); b = randn(16); x = randn(16); (W[15, 8:], b[:8], x)", seed: 0)
    guard case .tuple(let items)? = run.value, items.count == 3,
      case .tensor(let w) = items[0], case .tensor(let b) = items[1],
      case .tensor(let x) = items[2],
      case .f32(let wv) = w.storage, case .f32(let bv) = b.storage, case .f32(let xv) = x.storage
    else {
      Issue.record("unexpected value: \(run.diagnostics)")
      return
    }
    #expect(
      wv.map(\.bitPattern) == [
        0xbd83_1f79, 0x3f84_eb21, 0x3f68_2596, 0xbef3_768d, 0xbf5e_e90d, 0x3e14_377b, 0x3ff3_90cd,
        0x3ec7_e1f5,
      ])
    #expect(
      bv.map(\.bitPattern) == [
        0xbd21_451a, 0xbf4d_2d48, 0xbefd_b7fc, 0xbeb9_185f, 0x3f15_c9fb, 0xbf93_f806, 0xbe12_ce3e,
        0xbe47_6a14,
      ])
    #expect(
      xv.map(\.bitPattern) == [
        0xbe6f_929a, 0x3f35_12d0, 0x3f14_7e08, 0x3e89_5ee4, 0xc003_c5a7, 0x3f08_b594, 0xbf09_0fa4,
        0xbf5d_1926,
        0xbcc0_7757, 0x3f95_f947, 0x3ecc_20ba, 0xbe4b_7c15, 0xbf93_f5de, 0xbea2_2282, 0x3f70_b760,
        0xbf92_cf68,
      ])
  }

  /// The AVX2 Box–Muller kernel gives the scalar kernel's bits on a million uniforms (all of
  /// float32's [0, 1) grid reached by 24-bit draws is too many; these cover every octant of
  /// the angle and radii from the smallest uniform up), and both give PyTorch's vectors above.
  @Test func vectorBoxMullerMatchesTheScalarBitForBit() {
    var g = TorchGenerator(seed: 3)
    guard case .f32(var uniforms) = g.uniform(count: 1 << 20, dtype: .f32) else { return }
    uniforms[0] = 0  // 1 - u = 1: log 0 branch-free edge
    uniforms[1] = Float(0x00FF_FFFF) * 0x1p-24  // the largest uniform: the smallest 1 - u
    var vector = uniforms
    var scalar = uniforms
    TorchGenerator.boxMullerBlocks(&vector, blocks: uniforms.count / 16)
    TorchGenerator.boxMullerBlocks(&scalar, blocks: uniforms.count / 16, vectorised: false)
    let mismatches = zip(vector, scalar).filter { $0.bitPattern != $1.bitPattern }.count
    #expect(mismatches == 0)
  }

  /// Bulk draws (vectorised twist and tempering where the CPU has AVX2) give the engine's
  /// outputs one at a time, across several twists and from a start inside the 624 words.
  @Test func bulkUniformsMatchTheEngineOneAtATime() {
    var bulk = TorchGenerator(seed: 5)
    var single = TorchGenerator(seed: 5)
    _ = bulk.uniform(count: 7, dtype: .f32)
    for _ in 0..<7 { _ = single.next32() }
    let n = 3 * 624 + 13
    let floats = floats(bulk.uniform(count: n, dtype: .f32))
    let singleFloats = (0..<n).map { _ in
      (Float(single.next32() & 0x00FF_FFFF) * 0x1p-24).bitPattern
    }
    #expect(floats.count == n && mismatches(floats, singleFloats) == 0)
    let doubles = doubles(bulk.uniform(count: n, dtype: .f64))
    let singleDoubles = (0..<n).map { _ in
      (Double(single.next64() & 0x001F_FFFF_FFFF_FFFF) * 0x1p-53).bitPattern
    }
    #expect(doubles.count == n && mismatches(doubles, singleDoubles) == 0)
  }

  /// `randn` over many chunks (drawn and transformed a chunk at a time) equals uniforms drawn
  /// all at once, then transformed by the scalar Box–Muller, then the recomputed tail.
  @Test func chunkedRandnMatchesUniformsThenBoxMuller() {
    let n = 40_000 + 7
    var g = TorchGenerator(seed: 11)
    var reference = TorchGenerator(seed: 11)
    guard case .f32(var expected) = reference.uniform(count: n, dtype: .f32),
      case .f32(var tail) = reference.uniform(count: 16, dtype: .f32)
    else { return }
    TorchGenerator.boxMullerBlocks(&expected, blocks: n / 16, vectorised: false)
    TorchGenerator.boxMullerBlocks(&tail, blocks: 1, vectorised: false)
    expected.replaceSubrange((n - 16)..<n, with: tail)
    let normals = floats(g.normal(count: n, dtype: .f32))
    #expect(normals.count == n && mismatches(normals, expected.map(\.bitPattern)) == 0)
  }
}
