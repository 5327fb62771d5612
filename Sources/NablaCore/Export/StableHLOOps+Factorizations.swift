/// The factorizations with several results, each through JAX's LAPACK custom call: `eigh`
/// (`?syevd` of the symmetric part), `svd` (`?gesdd`, reduced) and `qr` (`?geqrf` then
/// `?orgqr`), with nabla's sign conventions written after the call: each column of `V` or
/// `U` has its entry of largest magnitude (the first of equal ones) positive, and `Vh`'s rows
/// are negated with `U`'s columns. A matrix LAPACK reports failing on (`info ≠ 0`, as for
/// NaN input) gives NaN, as in JAX. One primitive is one result, so `eigh(A)`'s two results
/// are two calls on the same operand (which XLA may merge).
extension StableHLOOps {
  static func eigh(_ output: Primitive.EighOutput) -> Write {
    { w, x, out in
      let a = x[0].type
      let shape = a.shape
      let batch = Array(shape.dropLast(2))
      guard let n = shape.last, n > 0 else { return w.splat(0, out) }
      let symmetric = symmetricPart(&w, x[0])
      let results = w.lapack(
        "syevd", a.dtype, operands: [(symmetric, shape, "", true)],
        config: "{mode = 86 : ui8, uplo = 76 : ui8}", batch: batch.count,
        results: [
          (shape, a.dtype.rawValue, true), (batch + [n], a.dtype.rawValue, false),
          (batch, "i32", false),
        ])
      switch output {
      case .values: return failedAsNaN(&w, results[1], info: results[2], out, batch: batch)
      case .vectors:
        let v = failedAsNaN(&w, results[0], info: results[2], out, batch: batch)
        let signs = columnSigns(&w, v, out)
        return negated(&w, v, out, by: signs, axis: batch.count + 1)
      }
    }
  }

  static func svd(_ output: Primitive.SVDOutput) -> Write {
    { w, x, out in
      let a = x[0].type
      guard let d = Matrices(a.shape) else { return w.splat(0, out) }
      let results = gesdd(&w, x[0], d)
      let uType = a.with(shape: d.batch + [d.m, d.k])
      switch output {
      case .s: return failedAsNaN(&w, results[1], info: results[4], out, batch: d.batch)
      case .u:
        let u = failedAsNaN(&w, results[2], info: results[4], out, batch: d.batch)
        return negated(&w, u, out, by: columnSigns(&w, u, out), axis: d.batch.count + 1)
      case .vh:
        let u = failedAsNaN(&w, results[2], info: results[4], uType, batch: d.batch)
        let signs = columnSigns(&w, u, uType)
        let vh = failedAsNaN(&w, results[3], info: results[4], out, batch: d.batch)
        return negated(&w, vh, out, by: signs, axis: d.batch.count)
      }
    }
  }

  /// The shape of a batch of m × n matrices `[…, m, n]` with k = min(m, n) > 0 (`nil` when a
  /// matrix is empty, whose factors are all empty or zeros).
  struct Matrices {
    let batch: [Int]
    let m: Int
    let n: Int
    var k: Int { min(m, n) }

    init?(_ shape: [Int]) {
      guard shape.count >= 2 else { return nil }
      batch = Array(shape.dropLast(2))
      (m, n) = (shape[batch.count], shape[batch.count + 1])
      guard min(m, n) > 0 else { return nil }
    }
  }

  /// `?gesdd` of `x`, reduced: the overwritten input, `s` `[…, k]`, `u` `[…, m, k]`, `vh`
  /// `[…, k, n]` and `info`, as LAPACK gives them.
  static func gesdd(
    _ w: inout StableHLOWriter, _ x: StableHLOLowering.Operand, _ d: Matrices
  ) -> [String] {
    let e = x.type.dtype.rawValue
    return w.lapack(
      "gesdd", x.type.dtype, operands: [(x.name, x.type.shape, "", true)],
      config: "{mode = 83 : ui8}", batch: d.batch.count,
      results: [
        (x.type.shape, e, true), (d.batch + [d.k], e, false), (d.batch + [d.m, d.k], e, true),
        (d.batch + [d.k, d.n], e, true), (d.batch, "i32", false),
      ])
  }

  static func qr(_ output: Primitive.QROutput) -> Write {
    { w, x, out in
      let a = x[0].type
      guard let d = Matrices(a.shape) else { return w.splat(0, out) }
      let (batch, m, n, k) = (d.batch, d.m, d.n, d.k)
      let e = a.dtype.rawValue
      let results = w.lapack(
        "geqrf", a.dtype, operands: [(x[0].name, a.shape, "", true)], config: "{}",
        batch: batch.count, results: [(a.shape, e, true), (batch + [k], e, false)])
      switch output {
      case .q:
        // orgqr forms Q from the first k reflectors, in an m×k matrix
        let reflectors = m < n ? slice(&w, results[0], a, rows: m, columns: m) : results[0]
        return w.lapack(
          "orgqr", a.dtype,
          operands: [
            (reflectors, batch + [m, k], "", true), (results[1], batch + [k], "", false),
          ],
          config: "{}", batch: batch.count, results: [(batch + [m, k], e, true)])[0]
      case .r:
        let top = m > n ? slice(&w, results[0], a, rows: n, columns: n) : results[0]
        let shape = out.shape
        let below = rowsAgainstColumns(&w, "GT", shape)
        let zeros = w.splat(0, out)
        return w.emit(
          "stablehlo.select \(below), \(zeros), \(top) : \(boolean(shape)), \(MLIRText.type(out))")
      }
    }
  }

  /// `(A + Aᵀ)/2`, as nabla's kernels and JAX symmetrise.
  static func symmetricPart(_ w: inout StableHLOWriter, _ a: Operand) -> String {
    let type = MLIRText.type(a.type)
    let rank = a.type.rank
    let swap = Array(0..<(rank - 2)) + [rank - 1, rank - 2]
    let transposed = w.emit(
      "stablehlo.transpose \(a.name), dims = \(MLIRText.list(swap)) : (\(type)) -> \(type)")
    let sum = w.emit("stablehlo.add \(a.name), \(transposed) : \(type)")
    let half = w.splat(0.5, a.type)
    return w.emit("stablehlo.multiply \(sum), \(half) : \(type)")
  }

  /// The top-left `rows × columns` of each matrix of a batch.
  private static func slice(
    _ w: inout StableHLOWriter, _ x: String, _ type: TensorType, rows: Int, columns: Int
  ) -> String {
    let batch = Array(type.shape.dropLast(2))
    let ranges = batch.map { "0:\($0):1" } + ["0:\(rows):1", "0:\(columns):1"]
    return w.emit(
      "stablehlo.slice \(x) [\(ranges.joined(separator: ", "))] : (\(MLIRText.type(type))) -> "
        + MLIRText.type(type.with(shape: batch + [rows, columns])))
  }

  /// `x`, or NaN for each matrix of the batch whose `info` is not 0.
  static func failedAsNaN(
    _ w: inout StableHLOWriter, _ x: String, info: String, _ type: TensorType, batch: [Int]
  ) -> String {
    let infoType = MLIRText.type(shape: batch, element: "i32")
    let zero = w.integers(0, batch)
    let ok = w.emit(
      "stablehlo.compare EQ, \(info), \(zero), SIGNED : (\(infoType), \(infoType)) -> "
        + boolean(batch))
    let everywhere = w.emit(
      "stablehlo.broadcast_in_dim \(ok), dims = \(MLIRText.list(Array(batch.indices))) : "
        + "(\(boolean(batch))) -> \(boolean(type.shape))")
    let nan = w.splat(.nan, type)
    return w.emit(
      "stablehlo.select \(everywhere), \(x), \(nan) : \(boolean(type.shape)), "
        + MLIRText.type(type))
  }

  /// For each column of each matrix `[…, m, k]`, −1 where its entry of largest magnitude
  /// (the first of equal ones) is negative, else 1: `[…, k]`.
  private static func columnSigns(
    _ w: inout StableHLOWriter, _ v: String, _ type: TensorType
  ) -> String {
    let shape = type.shape
    let axis = shape.count - 2
    let m = shape[axis]
    let matrix = MLIRText.type(type)
    let columnShape = Array(shape.dropLast(2)) + [shape[axis + 1]]
    let column = MLIRText.type(type.with(shape: columnShape))
    let scalar = MLIRText.type(type.with(shape: []))
    let integers = MLIRText.type(shape: shape, element: "i32")
    let integerColumn = MLIRText.type(shape: columnShape, element: "i32")
    let spread = MLIRText.list(Array(0..<axis) + [axis + 1])
    let magnitude = w.emit("stablehlo.abs \(v) : \(matrix)")
    let lowest = w.splat(-.infinity, type.with(shape: []))
    let largest = w.emit(
      "stablehlo.reduce(\(magnitude) init: \(lowest)) applies stablehlo.maximum across "
        + "dimensions = [\(axis)] : (\(matrix), \(scalar)) -> \(column)")
    let largestEverywhere = w.emit(
      "stablehlo.broadcast_in_dim \(largest), dims = \(spread) : (\(column)) -> \(matrix)")
    let isLargest = w.emit(
      "stablehlo.compare EQ, \(magnitude), \(largestEverywhere), FLOAT : (\(matrix), \(matrix)) "
        + "-> \(boolean(shape))")
    let rows = w.emit("stablehlo.iota dim = \(axis) : \(integers)")
    let past = w.integers(m, shape)
    let candidates = w.emit(
      "stablehlo.select \(isLargest), \(rows), \(past) : \(boolean(shape)), \(integers)")
    let none = w.integers(m, [])
    let first = w.emit(
      "stablehlo.reduce(\(candidates) init: \(none)) applies stablehlo.minimum across "
        + "dimensions = [\(axis)] : (\(integers), tensor<i32>) -> \(integerColumn)")
    let firstEverywhere = w.emit(
      "stablehlo.broadcast_in_dim \(first), dims = \(spread) : (\(integerColumn)) -> \(integers)")
    let isFirst = w.emit(
      "stablehlo.compare EQ, \(rows), \(firstEverywhere), SIGNED : (\(integers), \(integers)) -> "
        + boolean(shape))
    let zeros = w.splat(0, type)
    let picked = w.emit(
      "stablehlo.select \(isFirst), \(v), \(zeros) : \(boolean(shape)), \(matrix)")
    let zero = w.splat(0, type.with(shape: []))
    let entry = w.emit(
      "stablehlo.reduce(\(picked) init: \(zero)) applies stablehlo.add across dimensions = "
        + "[\(axis)] : (\(matrix), \(scalar)) -> \(column)")
    let columnZeros = w.splat(0, type.with(shape: columnShape))
    let negative = w.emit(
      "stablehlo.compare LT, \(entry), \(columnZeros), FLOAT : (\(column), \(column)) -> "
        + boolean(columnShape))
    let minus = w.splat(-1, type.with(shape: columnShape))
    let plus = w.splat(1, type.with(shape: columnShape))
    return w.emit(
      "stablehlo.select \(negative), \(minus), \(plus) : \(boolean(columnShape)), \(column)")
  }

  /// `x` times `signs` (`[…, k]`) spread along `axis` of its matrices: columns (the last
  /// axis) or rows.
  static func negated(
    _ w: inout StableHLOWriter, _ x: String, _ type: TensorType, by signs: String, axis: Int
  ) -> String {
    let batch = type.rank - 2
    let signShape = Array(type.shape.dropLast(2)) + [type.shape[axis]]
    let spread = w.emit(
      "stablehlo.broadcast_in_dim \(signs), dims = \(MLIRText.list(Array(0..<batch) + [axis])) : "
        + "(\(MLIRText.type(type.with(shape: signShape)))) -> \(MLIRText.type(type))")
    return w.emit("stablehlo.multiply \(x), \(spread) : \(MLIRText.type(type))")
  }
}
