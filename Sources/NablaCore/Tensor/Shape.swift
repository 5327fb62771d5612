/// Shape arithmetic shared by the primitives, the builtins and the kernels.
public enum Shape {
  /// The number of elements, or `nil` when a dimension is negative or the product overflows.
  public static func elementCount(_ shape: [Int]) -> Int? {
    var n = 1
    for d in shape {
      guard d >= 0 else { return nil }
      let (p, overflow) = n.multipliedReportingOverflow(by: d)
      if overflow { return nil }
      n = p
    }
    return n
  }

  /// Row-major strides of a shape.
  public static func strides(_ shape: [Int]) -> [Int] {
    var strides = Array(repeating: 1, count: shape.count)
    var s = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
      strides[i] = s
      s &*= shape[i]
    }
    return strides
  }

  /// The indices of the element at offset `flat` of a row-major tensor of `shape`.
  public static func index(ofFlat flat: Int, in shape: [Int]) -> [Int] {
    var rest = flat
    var index = Array(repeating: 0, count: shape.count)
    for axis in shape.indices.reversed() where shape[axis] > 0 {
      index[axis] = rest % shape[axis]
      rest /= shape[axis]
    }
    return index
  }

  /// `shape` with axis k − 1 merged into axis k wherever every view steps over k − 1 as over a
  /// whole row of k (`strides[v][k − 1] == strides[v][k] · shape[k]`), and each view's strides
  /// over the merged shape: a walk over the result visits the same elements in the same order
  /// with longer rows; axis `keepingApart` is never merged into the one before it. At least
  /// one axis.
  static func mergingAxes(_ shape: [Int], strides: [[Int]], keepingApart: Int? = nil)
    -> (shape: [Int], strides: [[Int]])
  {
    var sizes: [Int] = []
    var merged: [[Int]] = strides.map { _ in [] }
    for axis in shape.indices {
      if axis > 0, axis != keepingApart,
        strides.allSatisfy({ $0[axis - 1] == $0[axis] &* shape[axis] })
      {
        sizes[sizes.count - 1] &*= shape[axis]
        for k in strides.indices { merged[k][merged[k].count - 1] = strides[k][axis] }
      } else {
        sizes.append(shape[axis])
        for k in strides.indices { merged[k].append(strides[k][axis]) }
      }
    }
    return sizes.isEmpty ? ([1], strides.map { _ in [0] }) : (sizes, merged)
  }

  /// NumPy broadcasting of two shapes, or `nil` when they are incompatible.
  public static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
    let rank = max(a.count, b.count)
    var out = Array(repeating: 1, count: rank)
    for i in 0..<rank {
      let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
      let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
      if da == db || db == 1 {
        out[i] = da
      } else if da == 1 {
        out[i] = db
      } else {
        return nil
      }
    }
    return out
  }

  /// A negative axis counted from the end, checked against the rank.
  public static func normalize(axis: Int, rank: Int) -> Int? {
    let a = axis < 0 ? axis + rank : axis
    return a >= 0 && a < max(rank, 0) ? a : nil
  }
}
