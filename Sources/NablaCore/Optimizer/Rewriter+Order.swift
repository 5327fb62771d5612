/// One order for the operands of commutative operations, independent of the order values were
/// emitted in: each value gets a key from how it is computed (inputs by position, small
/// constants by their elements, equations by primitive, parameters and operands' keys), and
/// operands are ordered by key. So `a·b` and `b·a` are one value however either was spelled.
/// The keys are deterministic (no per-process hash seed), so the graph, and the order of every
/// sum, is the same in every run.
extension Rewriter {
  /// Whether `a` comes before `b` as the operand of a commutative operation.
  func precedes(_ a: Var, _ b: Var) -> Bool {
    let (ka, kb) = (structuralKey(a), structuralKey(b))
    return ka != kb ? ka < kb : a < b
  }

  /// `v`'s key: computed from its operands' keys when it is emitted, else from what it is.
  func structuralKey(_ v: Var) -> UInt64 {
    if let key = structuralKeys[v] { return key }
    var key = StructuralKey()
    if let t = builder.constantValue(v) {
      key.combine(1)
      for size in t.shape { key.combine(UInt64(truncatingIfNeeded: size)) }
      if t.count <= 4096 {
        for bits in t.bitPatterns { key.combine(bits) }
      } else {
        key.combine(UInt64(truncatingIfNeeded: v.id))
      }
    } else if let position = builder.graph.inputs.firstIndex(of: v) {
      key.combine(2)
      key.combine(UInt64(truncatingIfNeeded: position))
    } else {
      key.combine(3)
      key.combine(UInt64(truncatingIfNeeded: v.id))
    }
    structuralKeys[v] = key.value
    return key.value
  }

  /// Records the key of `v = primitive(inputs…)`.
  func recordKey(_ v: Var, _ primitive: Primitive, _ inputs: [Var]) {
    var key = StructuralKey()
    key.combine(4)
    for byte in (primitive.kind.rawValue + primitive.parameterText).utf8 {
      key.combine(UInt64(byte))
    }
    for x in inputs { key.combine(structuralKey(x)) }
    structuralKeys[v] = key.value
  }
}

/// FNV-1a over 64-bit words: a hash that is the same in every process.
struct StructuralKey {
  private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

  mutating func combine(_ word: UInt64) {
    value = (value ^ word) &* 0x100_0000_01b3
  }
}
