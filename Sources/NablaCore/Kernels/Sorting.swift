/// Kernels along one axis of a row-major tensor: stable argsort, the position of the largest
/// or smallest element, and reading or adding through a tensor of positions (NumPy's
/// `take_along_axis` and its transpose).
///
/// A tensor of `shape` is seen as `[outer, n, inner]` around `axis`: element `(o, k, i)` is at
/// flat position `(o·n + k)·inner + i`, and each `(o, i)` is one lane of `n` elements. Positions
/// are held as float64 numbers (whole, exact below 2⁵³).
struct AxisLanes {
  let outer: Int
  let n: Int
  let inner: Int

  init(_ shape: [Int], axis: Int) {
    outer = shape[..<axis].reduce(1, *)
    n = shape[axis]
    inner = shape[(axis + 1)...].reduce(1, *)
  }

  /// The flat position of element `k` of lane `(o, i)`.
  @inline(__always) func position(_ o: Int, _ k: Int, _ i: Int) -> Int { (o * n + k) * inner + i }

  var laneCount: Int { outer * inner }

  /// A position read from a tensor of positions, as the element of a lane of `n` it names:
  /// the nearest whole number, a negative one counted from the end (NumPy, JAX), `nil` when
  /// outside the lane or not a number.
  @inline(__always) static func element(_ p: Double, in n: Int) -> Int? {
    var r = p.rounded()
    if r < 0 { r += Double(n) }
    guard r >= 0, r < Double(n) else { return nil }  // NaN fails both
    return Int(r)
  }
}

/// Whether `a` sorts before `b` in ascending order, NaN after every number (NumPy, JAX,
/// PyTorch); −0 and 0 are equal.
@inline(__always) func sortsBefore<T: TensorScalar>(_ a: T, _ b: T) -> Bool {
  !a.isNaN && (b.isNaN || a < b)
}

enum SortingKernels {
  /// For each lane, the positions that order it (ascending, or descending when
  /// `descending`); equal elements keep their order (a stable sort), NaN is the largest.
  static func argsort<T: TensorScalar>(_ x: [T], _ lanes: AxisLanes, descending: Bool) -> [Double] {
    let n = lanes.n
    var out = [Double](repeating: 0, count: x.count)
    guard n > 0 else { return out }
    let cost = n * max(1, Int.bitWidth - n.leadingZeroBitCount)
    x.withUnsafeBufferPointer { xp in
      out.withUnsafeMutableBufferPointer { op in
        guard let xs = xp.baseAddress, let os = op.baseAddress else { return }
        WorkerPool.forEachRange(lanes.laneCount, costPerItem: cost) { range in
          var order = [Int](repeating: 0, count: n)
          for lane in range {
            let (o, i) = lane.quotientAndRemainder(dividingBy: lanes.inner)
            let base = lanes.position(o, 0, i)
            let step = lanes.inner
            for k in 0..<n { order[k] = k }
            // the position breaks ties, so the order is stable whatever sort the library uses
            order.sort { a, b in
              let (u, v) = (xs[base + a * step], xs[base + b * step])
              if descending {
                if sortsBefore(v, u) { return true }
                if sortsBefore(u, v) { return false }
              } else {
                if sortsBefore(u, v) { return true }
                if sortsBefore(v, u) { return false }
              }
              return a < b
            }
            for k in 0..<n { os[base + k * step] = Double(order[k]) }
          }
        }
      }
    }
    return out
  }

  /// For each lane (of `n > 0` elements), the position of its largest (`largest`) or smallest
  /// element: the first of equal ones, and the first NaN if there is one (NumPy, JAX, PyTorch).
  static func argReduce<T: TensorScalar>(_ x: [T], _ lanes: AxisLanes, largest: Bool) -> [Double] {
    var out = [Double](repeating: 0, count: lanes.laneCount)
    guard lanes.n > 0 else { return out }
    x.withUnsafeBufferPointer { xp in
      out.withUnsafeMutableBufferPointer { op in
        guard let xs = xp.baseAddress, let os = op.baseAddress else { return }
        WorkerPool.forEachRange(lanes.laneCount, costPerItem: lanes.n) { range in
          for lane in range {
            let (o, i) = lane.quotientAndRemainder(dividingBy: lanes.inner)
            let base = lanes.position(o, 0, i)
            var best = 0
            var value = xs[base]
            var k = 1
            while k < lanes.n, !value.isNaN {
              let u = xs[base + k * lanes.inner]
              if u.isNaN || (largest ? u > value : u < value) {
                best = k
                value = u
              }
              k += 1
            }
            os[lane] = Double(best)
          }
        }
      }
    }
    return out
  }

  /// `out[o, j, i] = x[o, p[o, j, i], i]` along the axis: lanes of `m` positions `p` read from
  /// lanes of `n` elements of `x` (`lanes` describes `x`); NaN where a position is outside its
  /// lane (JAX's fill).
  static func takeAlongAxis<T: TensorScalar>(
    _ x: [T], _ lanes: AxisLanes, positions p: [Double], m: Int
  ) -> [T] {
    let (outer, n, inner) = (lanes.outer, lanes.n, lanes.inner)
    return [T](unsafeUninitializedCapacity: p.count) { out, initialized in
      defer { initialized = p.count }
      x.withUnsafeBufferPointer { xp in
        p.withUnsafeBufferPointer { pp in
          guard let o = out.baseAddress, let ps = pp.baseAddress else {
            out.initialize(repeating: T.nan)
            return
          }
          let xs = xp.baseAddress
          WorkerPool.forEachRange(outer * m, costPerItem: 2 * inner) { rows in
            for row in rows {
              let a = row / m  // rows exist only when m > 0
              for i in 0..<inner {
                let at = row * inner + i
                if let k = AxisLanes.element(ps[at], in: n), let xs {
                  (o + at).initialize(to: xs[(a * n + k) * inner + i])
                } else {
                  (o + at).initialize(to: T.nan)
                }
              }
            }
          }
        }
      }
    }
  }

  /// The transpose of ``takeAlongAxis(_:_:positions:m:)``: zeros of lanes of `size`, with
  /// `out[o, p[o, j, i], i] += v[o, j, i]`; a value whose position is outside its lane is
  /// dropped. (`lanes` describes `v`, whose lanes have `m = lanes.n` elements.)
  static func scatterAddAlongAxis<T: TensorScalar>(
    _ v: [T], _ lanes: AxisLanes, positions p: [Double], size: Int
  ) -> [T] {
    let (outer, m, inner) = (lanes.outer, lanes.n, lanes.inner)
    var out = [T](repeating: T.zero, count: outer * size * inner)
    for a in 0..<outer {
      for j in 0..<m {
        for i in 0..<inner {
          let at = (a * m + j) * inner + i
          guard let k = AxisLanes.element(p[at], in: size) else { continue }
          out[(a * size + k) * inner + i] += v[at]
        }
      }
    }
    return out
  }
}
