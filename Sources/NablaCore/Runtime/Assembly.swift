/// The result of a concatenation being filled in while its operands are computed.
///
/// `concatenate(x₁, …, xₙ, axis)` puts `xₖ` at offset `o_k = Σ_{l<k} xₗ.shape[axis]` along
/// `axis`: viewing the result as `[outer, total·inner]` and `xₖ` as `[outer, nₖ·inner]` (outer:
/// the axes before `axis`, inner: those after), row `a` of `xₖ` is copied to row `a` of the
/// result from column `o_k·inner`. The interpreter allocates the result when the first operand
/// exists, copies each operand in as it is computed and frees it, so the operands (the slices
/// of a Jacobian or a `vmap`) never all exist beside the result.
struct Assembly {
  let shape: [Int]
  let axis: Int
  private(set) var storage: Tensor.Storage

  /// A result of `type`, zero until its operands are placed.
  init(_ type: TensorType, axis: Int) {
    shape = type.shape
    self.axis = axis
    let count = Shape.elementCount(type.shape) ?? 0
    storage =
      switch type.dtype {
      case .f32: .f32(Array(repeating: 0, count: count))
      case .f64: .f64(Array(repeating: 0, count: count))
      }
  }

  /// Copies `part` into its place, `offset` elements along the axis.
  mutating func place(_ part: Tensor, at offset: Int) {
    let outer = shape[..<axis].reduce(1, *)
    let inner = shape[(axis + 1)...].reduce(1, *)
    let row = shape[axis] * inner
    let partRow = part.shape[axis] * inner
    let start = offset * inner
    func copy<T>(_ source: [T], into target: inout [T]) {
      source.withUnsafeBufferPointer { s in
        target.withUnsafeMutableBufferPointer { t in
          guard let s = s.baseAddress, let t = t.baseAddress, partRow > 0 else { return }
          for a in 0..<outer {
            (t + a * row + start).update(from: s + a * partRow, count: partRow)
          }
        }
      }
    }
    switch storage {
    case .f32(var values):
      storage = .f64([])  // the array's one reference, so it is written in place
      let source = if case .f32(let p) = part.storage { p } else { part.doubles.map(Float.init) }
      copy(source, into: &values)
      storage = .f32(values)
    case .f64(var values):
      storage = .f64([])
      copy(part.doubles, into: &values)
      storage = .f64(values)
    }
  }

  /// The assembled result.
  var tensor: Tensor { Tensor(shape: shape, storage: storage) }
}
