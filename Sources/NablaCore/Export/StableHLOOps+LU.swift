/// nabla's LU-based linear algebra and Cholesky factor in StableHLO.
///
/// `solve`, `inverse`, `determinant` and `adjugate` factor with LAPACK's `?getrf`, through the
/// custom call JAX's CPU runtime (jaxlib) registers, spelled as
/// `jax.jit(jnp.linalg.solve).lower(…)` writes it; the row interchanges become a permutation
/// and the triangular solves `stablehlo.triangular_solve`, both plain StableHLO. `cholesky`
/// is `stablehlo.cholesky` of the symmetric part. Batch axes are the custom call's and the
/// operations' own.
extension StableHLOOps {
  /// `X = A⁻¹B`: `A`'s LU factors, `B`'s rows permuted as the factorization's, then the
  /// unit lower and the upper triangular solves.
  static let solve: Write = { w, x, out in
    guard let lu = factor(&w, x[0]) else { return w.splat(0, out) }
    let rows = permutedRows(&w, x[1], permutation(&w, lu), lu)
    return triangularSolves(&w, lu, rows, out)
  }

  /// `A⁻¹`: as ``solve`` with `B = I`, whose permuted rows are the permutation matrix.
  static let inverse: Write = { w, x, out in
    guard let lu = factor(&w, x[0]) else { return w.splat(0, out) }
    let p = permutationMatrix(&w, permutation(&w, lu), lu, out.dtype)
    return triangularSolves(&w, lu, p, out)
  }

  /// `det A`: the product of `U`'s diagonal, each entry negated where its row was
  /// interchanged (`ipiv[i] ≠ i`), as nabla's kernel multiplies in the permutation's sign.
  /// 1 for 0×0 matrices.
  static let determinant: Write = { w, x, out in
    guard let lu = factor(&w, x[0]) else { return w.splat(1, out) }
    return determinant(&w, lu, out)
  }

  /// `det A` of `A`'s LU factors: `out` is `[…]`.
  private static func determinant(
    _ w: inout StableHLOWriter, _ lu: LU, _ out: TensorType
  ) -> String {
    let diagonal = matrixDiagonal(&w, lu.factors, out.with(shape: lu.batch + [lu.n, lu.n]))
    let vectorType = out.with(shape: lu.batch + [lu.n])
    let vector = MLIRText.type(vectorType)
    let position = w.emit("stablehlo.iota dim = \(lu.batch.count) : \(lu.pivotType)")
    let one = w.integers(1, lu.pivotShape)
    let pivots = w.emit("stablehlo.subtract \(lu.pivots), \(one) : \(lu.pivotType)")
    let moved = w.emit(
      "stablehlo.compare NE, \(pivots), \(position), SIGNED : (\(lu.pivotType), "
        + "\(lu.pivotType)) -> \(boolean(lu.pivotShape))")
    let minus = w.splat(-1, vectorType)
    let plus = w.splat(1, vectorType)
    let signs = w.emit(
      "stablehlo.select \(moved), \(minus), \(plus) : \(boolean(lu.pivotShape)), \(vector)")
    let signed = w.emit("stablehlo.multiply \(diagonal), \(signs) : \(vector)")
    let start = w.splat(1, out.with(shape: []))
    return w.emit(
      "stablehlo.reduce(\(signed) init: \(start)) applies stablehlo.multiply across dimensions = "
        + "[\(lu.batch.count)] : (\(vector), \(MLIRText.type(out.with(shape: [])))) -> "
        + MLIRText.type(out))
  }

  /// `adj A`, as nabla's kernel: `det(A) A⁻¹` where `U` has no zero on its diagonal, else
  /// (a singular matrix) from the singular value decomposition `A = U diag(s) Vᵀ`:
  /// `adj A = det(U) det(V) V diag(∏_{j≠i} s_j) Uᵀ`, the determinants from their own LU
  /// factors. Both are computed and each matrix of the batch takes its own.
  static let adjugate: Write = { w, x, out in
    guard let lu = factor(&w, x[0]) else { return w.splat(0, out) }
    let batch = lu.batch
    let n = lu.n
    let b = batch.count
    let type = MLIRText.type(out)
    let scalars = out.with(shape: batch)
    let spreadBatch = MLIRText.list(Array(0..<b))
    // regular: det(A) A⁻¹
    let d = determinant(&w, lu, scalars)
    let inverse = triangularSolves(
      &w, lu, permutationMatrix(&w, permutation(&w, lu), lu, out.dtype), out)
    let dEverywhere = w.emit(
      "stablehlo.broadcast_in_dim \(d), dims = \(spreadBatch) : (\(MLIRText.type(scalars))) -> "
        + type)
    let regular = w.emit("stablehlo.multiply \(inverse), \(dEverywhere) : \(type)")
    // singular: from the singular value decomposition
    let e = out.dtype.rawValue
    let factors = w.lapack(
      "gesdd", out.dtype, operands: [(x[0].name, out.shape, "", true)],
      config: "{mode = 83 : ui8}", batch: b,
      results: [
        (out.shape, e, true), (batch + [n], e, false), (out.shape, e, true), (out.shape, e, true),
        (batch, "i32", false),
      ])
    let s = failedAsNaN(
      &w, factors[1], info: factors[4], out.with(shape: batch + [n]), batch: batch)
    let u = failedAsNaN(&w, factors[2], info: factors[4], out, batch: batch)
    let vh = failedAsNaN(&w, factors[3], info: factors[4], out, batch: batch)
    var sign = ""
    for orthogonal in [u, vh] {
      guard let f = factor(&w, Operand(name: orthogonal, type: out)) else { continue }
      let det = determinant(&w, f, scalars)
      sign =
        sign.isEmpty
        ? det : w.emit("stablehlo.multiply \(sign), \(det) : \(MLIRText.type(scalars))")
    }
    let zero = w.splat(0, scalars)
    let negative = w.emit(
      "stablehlo.compare LT, \(sign), \(zero), FLOAT : (\(MLIRText.type(scalars)), "
        + "\(MLIRText.type(scalars))) -> \(boolean(batch))")
    let minus = w.splat(-1, scalars)
    let plus = w.splat(1, scalars)
    let unit = w.emit(
      "stablehlo.select \(negative), \(minus), \(plus) : \(boolean(batch)), \(MLIRText.type(scalars))"
    )
    // ∏_{j≠i} s_j: the products of the rows of s along the columns with 1 on the diagonal
    let vectorType = out.with(shape: batch + [n])
    let vector = MLIRText.type(vectorType)
    let sRows = w.emit(
      "stablehlo.broadcast_in_dim \(s), dims = \(MLIRText.list(Array(0..<b) + [b + 1])) : "
        + "(\(vector)) -> \(type)")
    let onDiagonal = rowsAgainstColumns(&w, "EQ", out.shape)
    let ones = w.splat(1, out)
    let factorsOfOthers = w.emit(
      "stablehlo.select \(onDiagonal), \(ones), \(sRows) : \(boolean(out.shape)), \(type)")
    let start = w.splat(1, out.with(shape: []))
    let others = w.emit(
      "stablehlo.reduce(\(factorsOfOthers) init: \(start)) applies stablehlo.multiply across "
        + "dimensions = [\(b + 1)] : (\(type), \(MLIRText.type(out.with(shape: [])))) -> \(vector)")
    let unitEverywhere = w.emit(
      "stablehlo.broadcast_in_dim \(unit), dims = \(spreadBatch) : (\(MLIRText.type(scalars))) "
        + "-> \(vector)")
    let signedOthers = w.emit("stablehlo.multiply \(others), \(unitEverywhere) : \(vector)")
    let scaled = negated(&w, vh, out, by: signedOthers, axis: b)
    let singular = timesTransposed(&w, scaled, u, k: n, out, batch: b)
    // each matrix takes the regular form unless U has a zero on its diagonal
    let diagonal = matrixDiagonal(&w, lu.factors, out)
    let everywhere = everyDiagonalEntry(&w, diagonal, "NE", out)
    return w.emit(
      "stablehlo.select \(everywhere), \(regular), \(singular) : \(boolean(out.shape)), \(type)")
  }

  /// `A⁺ = V diag(1/s) Uᵀ` from the reduced singular value decomposition, with nabla's (and
  /// JAX's) cutoff: singular values at most `10 · max(m, n) · ε · s_max` count as zero.
  static let pseudoInverse: Write = { w, x, out in
    let a = x[0].type
    guard let d = Matrices(a.shape) else { return w.splat(0, out) }
    let (batch, b, m, n, k) = (d.batch, d.batch.count, d.m, d.n, d.k)
    let factors = gesdd(&w, x[0], d)
    let vectorType = a.with(shape: batch + [k])
    let vector = MLIRText.type(vectorType)
    let s = failedAsNaN(&w, factors[1], info: factors[4], vectorType, batch: batch)
    let u = failedAsNaN(
      &w, factors[2], info: factors[4], a.with(shape: batch + [m, k]), batch: batch)
    let vhType = a.with(shape: batch + [k, n])
    let vh = failedAsNaN(&w, factors[3], info: factors[4], vhType, batch: batch)
    let firstType = a.with(shape: batch + [1])
    let largest = w.emit(
      "stablehlo.slice \(s) [\((batch.map { "0:\($0):1" } + ["0:1:1"]).joined(separator: ", "))] : "
        + "(\(vector)) -> \(MLIRText.type(firstType))")
    let largestEverywhere = w.emit(
      "stablehlo.broadcast_in_dim \(largest), dims = \(MLIRText.list(Array(0...b))) : "
        + "(\(MLIRText.type(firstType))) -> \(vector)")
    let epsilon = a.dtype == .f32 ? Double(Float.ulpOfOne) : Double.ulpOfOne
    let factor = w.splat(10 * Double(max(m, n)) * epsilon, vectorType)
    let cutoff = w.emit("stablehlo.multiply \(largestEverywhere), \(factor) : \(vector)")
    let kept = w.emit(
      "stablehlo.compare GT, \(s), \(cutoff), FLOAT : (\(vector), \(vector)) -> "
        + boolean(batch + [k]))
    let ones = w.splat(1, vectorType)
    let reciprocal = w.emit("stablehlo.divide \(ones), \(s) : \(vector)")
    let zeros = w.splat(0, vectorType)
    let inverse = w.emit(
      "stablehlo.select \(kept), \(reciprocal), \(zeros) : \(boolean(batch + [k])), \(vector)")
    let scaled = negated(&w, vh, vhType, by: inverse, axis: b)
    return timesTransposed(&w, scaled, u, k: k, out, batch: b)
  }

  /// `Xᵀ Yᵀ` for matrices `X` `[…, k, n]` and `Y` `[…, m, k]`: `[…, n, m]`, one
  /// `stablehlo.dot_general` (`V diag(·) Uᵀ` from `Vh` with its rows scaled, and `U`).
  private static func timesTransposed(
    _ w: inout StableHLOWriter, _ x: String, _ y: String, k: Int, _ out: TensorType, batch b: Int
  ) -> String {
    let (n, m) = (out.shape[b], out.shape[b + 1])
    let shape = Array(out.shape.dropLast(2))
    let batchDims = MLIRText.list(Array(0..<b))
    let attributes =
      (b > 0 ? "batching_dims = \(batchDims) x \(batchDims), " : "")
      + "contracting_dims = [\(b)] x [\(b + 1)]"
    return w.emit(
      "stablehlo.dot_general \(x), \(y), \(attributes), precision = [DEFAULT, DEFAULT] : "
        + "(\(MLIRText.type(out.with(shape: shape + [k, n]))), "
        + "\(MLIRText.type(out.with(shape: shape + [m, k])))) -> \(MLIRText.type(out))")
  }

  /// `L` of `(A + Aᵀ)/2 = L Lᵀ`: `stablehlo.cholesky` (lower) of the symmetric part, its
  /// upper triangle (which the operation leaves undefined) zeroed, and a matrix of NaN where
  /// a diagonal entry is not positive (nabla's kernel's test of positive definiteness).
  static let cholesky: Write = { w, x, out in
    let type = MLIRText.type(out)
    let shape = out.shape
    guard let n = shape.last, n > 0 else { return w.splat(0, out) }
    let symmetric = symmetricPart(&w, x[0])
    let factor = w.emit("stablehlo.cholesky \(symmetric), lower = true : \(type)")
    let lowerPart = rowsAgainstColumns(&w, "GE", shape)
    let zeros = w.splat(0, out)
    let lower = w.emit(
      "stablehlo.select \(lowerPart), \(factor), \(zeros) : \(boolean(shape)), \(type)")
    let diagonal = matrixDiagonal(&w, lower, out)
    let everywhere = everyDiagonalEntry(&w, diagonal, "GT", out)
    let nan = w.splat(.nan, out)
    return w.emit(
      "stablehlo.select \(everywhere), \(lower), \(nan) : \(boolean(shape)), \(type)")
  }

  /// The results of LAPACK's `?getrf` on a batch of square matrices.
  private struct LU {
    /// `L` below the diagonal (its unit diagonal implied) and `U` on and above it.
    var factors: String
    /// LAPACK's row interchanges, 1-based: row `i` was swapped with row `pivots[i]`, in turn.
    var pivots: String
    var batch: [Int]
    var n: Int
    var pivotShape: [Int] { batch + [n] }
    var pivotType: String { MLIRText.type(shape: pivotShape, element: "i32") }
  }

  /// `P A = L U` by LAPACK's `?getrf` (`lapack_sgetrf_ffi`, `lapack_dgetrf_ffi`); nil for 0×0
  /// matrices.
  private static func factor(_ w: inout StableHLOWriter, _ a: Operand) -> LU? {
    let batch = Array(a.type.shape.dropLast(2))
    guard let n = a.type.shape.last, n > 0 else { return nil }
    let results = w.lapack(
      "getrf", a.type.dtype, operands: [(a.name, a.type.shape, "", true)], config: "{}",
      batch: batch.count,
      results: [
        (a.type.shape, a.type.dtype.rawValue, true), (batch + [n], "i32", false),
        (batch, "i32", false),
      ])
    return LU(factors: results[0], pivots: results[1], batch: batch, n: n)
  }

  /// The permutation `p` (0-based, `[…, n]` of `i32`) that the interchanges make: row `r` of
  /// `P A` is row `p[r]` of `A`. The n − 1 swaps are unrolled; each picks its entries with
  /// comparisons against the positions, so every matrix of the batch swaps its own.
  private static func permutation(_ w: inout StableHLOWriter, _ lu: LU) -> String {
    let axis = lu.batch.count
    let type = lu.pivotType
    let position = w.emit("stablehlo.iota dim = \(axis) : \(type)")
    var p = position
    guard lu.n > 1 else { return p }
    let one = w.integers(1, lu.pivotShape)
    let pivots = w.emit("stablehlo.subtract \(lu.pivots), \(one) : \(type)")
    let zeros = w.integers(0, lu.pivotShape)
    let zero = w.integers(0, [])
    let columnShape = lu.batch + [1]
    let column = MLIRText.type(shape: columnShape, element: "i32")
    let batchType = MLIRText.type(shape: lu.batch, element: "i32")
    let mask = boolean(lu.pivotShape)
    let all = MLIRText.list(Array(0...axis))
    func entry(_ w: inout StableHLOWriter, _ v: String, _ i: Int) -> String {
      let ranges = lu.batch.map { "0:\($0):1" } + ["\(i):\(i + 1):1"]
      let slice = w.emit(
        "stablehlo.slice \(v) [\(ranges.joined(separator: ", "))] : (\(type)) -> \(column)")
      return w.emit("stablehlo.broadcast_in_dim \(slice), dims = \(all) : (\(column)) -> \(type)")
    }
    for i in 0..<(lu.n - 1) {
      let j = entry(&w, pivots, i)
      let atJ = w.emit(
        "stablehlo.compare EQ, \(position), \(j), SIGNED : (\(type), \(type)) -> \(mask)")
      let picked = w.emit("stablehlo.select \(atJ), \(p), \(zeros) : \(mask), \(type)")
      let pj = w.emit(
        "stablehlo.reduce(\(picked) init: \(zero)) applies stablehlo.add across dimensions = "
          + "[\(axis)] : (\(type), tensor<i32>) -> \(batchType)")
      let pjAll = w.emit(
        "stablehlo.broadcast_in_dim \(pj), dims = \(MLIRText.list(Array(0..<axis))) : "
          + "(\(batchType)) -> \(type)")
      let pi = entry(&w, p, i)
      let index = w.integers(i, lu.pivotShape)
      let atI = w.emit(
        "stablehlo.compare EQ, \(position), \(index), SIGNED : "
          + "(\(type), \(type)) -> \(mask)")
      let swapped = w.emit("stablehlo.select \(atJ), \(pi), \(p) : \(mask), \(type)")
      p = w.emit("stablehlo.select \(atI), \(pjAll), \(swapped) : \(mask), \(type)")
    }
    return p
  }

  /// `B`'s rows in the permutation's order: one `stablehlo.gather` of whole rows from the
  /// batch's rows stacked (`[b·n, k]`), at `p + n·(the matrix's number)`.
  private static func permutedRows(
    _ w: inout StableHLOWriter, _ b: Operand, _ p: String, _ lu: LU
  ) -> String {
    let count = lu.batch.reduce(1, *)
    let k = b.type.shape.last ?? 0
    let stacked = b.type.with(shape: [count * lu.n, k])
    let rows = reshaped(&w, b.name, b.type, stacked)
    let grid = MLIRText.type(shape: [count, lu.n], element: "i32")
    var global = w.emit("stablehlo.reshape \(p) : (\(lu.pivotType)) -> \(grid)")
    if count > 1 {
      let matrix = w.emit("stablehlo.iota dim = 0 : \(grid)")
      let stride = w.integers(lu.n, [count, lu.n])
      let offset = w.emit("stablehlo.multiply \(matrix), \(stride) : \(grid)")
      global = w.emit("stablehlo.add \(global), \(offset) : \(grid)")
    }
    let indexType = MLIRText.type(shape: [count * lu.n, 1], element: "i32")
    let indices = w.emit("stablehlo.reshape \(global) : (\(grid)) -> \(indexType)")
    let gathered = w.emit(
      "\"stablehlo.gather\"(\(rows), \(indices)) <{dimension_numbers = "
        + "#stablehlo.gather<offset_dims = [1], collapsed_slice_dims = [0], start_index_map = [0], "
        + "index_vector_dim = 1>, indices_are_sorted = false, slice_sizes = array<i64: 1, \(k)>}> : "
        + "(\(MLIRText.type(stacked)), \(indexType)) -> \(MLIRText.type(stacked))")
    return reshaped(&w, gathered, stacked, b.type)
  }

  /// `x` of type `from` as `to`: itself where they are equal, else a `stablehlo.reshape`.
  private static func reshaped(
    _ w: inout StableHLOWriter, _ x: String, _ from: TensorType, _ to: TensorType
  ) -> String {
    guard from != to else { return x }
    return w.emit("stablehlo.reshape \(x) : (\(MLIRText.type(from))) -> \(MLIRText.type(to))")
  }

  /// `P`, `[…, n, n]`, 1 at `(r, p[r])`: the identity's rows permuted.
  private static func permutationMatrix(
    _ w: inout StableHLOWriter, _ p: String, _ lu: LU, _ dtype: DType
  ) -> String {
    let shape = lu.batch + [lu.n, lu.n]
    let integers = MLIRText.type(shape: shape, element: "i32")
    let spread = w.emit(
      "stablehlo.broadcast_in_dim \(p), dims = \(MLIRText.list(Array(0...lu.batch.count))) : "
        + "(\(lu.pivotType)) -> \(integers)")
    let columns = w.emit("stablehlo.iota dim = \(lu.batch.count + 1) : \(integers)")
    let ones = w.emit(
      "stablehlo.compare EQ, \(spread), \(columns), SIGNED : (\(integers), \(integers)) -> "
        + boolean(shape))
    return w.emit(
      "stablehlo.convert \(ones) : (\(boolean(shape))) -> "
        + MLIRText.type(shape: shape, element: dtype.rawValue))
  }

  /// `U⁻¹ L⁻¹ B` for LU factors and permuted rows `B`: two `stablehlo.triangular_solve`s.
  private static func triangularSolves(
    _ w: inout StableHLOWriter, _ lu: LU, _ rows: String, _ out: TensorType
  ) -> String {
    let a = MLIRText.type(out.with(shape: lu.batch + [lu.n, lu.n]))
    let b = MLIRText.type(out)
    func solve(_ w: inout StableHLOWriter, _ rhs: String, lower: Bool) -> String {
      w.emit(
        "\"stablehlo.triangular_solve\"(\(lu.factors), \(rhs)) <{left_side = true, "
          + "lower = \(lower), unit_diagonal = \(lower), "
          + "transpose_a = #stablehlo<transpose NO_TRANSPOSE>}> : (\(a), \(b)) -> \(b)")
    }
    return solve(&w, solve(&w, rows, lower: true), lower: false)
  }

  /// The diagonals `[…, n]` of a batch of square matrices: the matrices with zeros off the
  /// diagonal (chosen, so nothing there reaches the sum), summed along their rows.
  private static func matrixDiagonal(
    _ w: inout StableHLOWriter, _ m: String, _ type: TensorType
  ) -> String {
    let shape = type.shape
    let rank = shape.count
    let onDiagonal = rowsAgainstColumns(&w, "EQ", shape)
    let zeros = w.splat(0, type)
    let kept = w.emit(
      "stablehlo.select \(onDiagonal), \(m), \(zeros) : \(boolean(shape)), \(MLIRText.type(type))")
    let scalar = type.with(shape: [])
    let start = w.splat(0, scalar)
    return w.emit(
      "stablehlo.reduce(\(kept) init: \(start)) applies stablehlo.add across dimensions = "
        + "[\(rank - 1)] : (\(MLIRText.type(type)), \(MLIRText.type(scalar))) -> "
        + MLIRText.type(type.with(shape: Array(shape.dropLast()))))
  }

  /// Where every diagonal entry of its matrix compares with 0 by `direction` (`NE`: an
  /// invertible triangle, `GT`: a positive definite factor), from the diagonals `[…, n]` of a
  /// batch of matrices of `type`: a mask of the matrices' shape.
  static func everyDiagonalEntry(
    _ w: inout StableHLOWriter, _ diagonal: String, _ direction: String, _ type: TensorType
  ) -> String {
    let batch = Array(type.shape.dropLast(2))
    let diagonals = type.with(shape: batch + [type.shape[batch.count]])
    let vector = MLIRText.type(diagonals)
    let zeros = w.splat(0, diagonals)
    let holds = w.emit(
      "stablehlo.compare \(direction), \(diagonal), \(zeros), FLOAT : (\(vector), \(vector)) -> "
        + boolean(diagonals.shape))
    let yes = w.emit("stablehlo.constant dense<true> : tensor<i1>")
    let everyEntry = w.emit(
      "stablehlo.reduce(\(holds) init: \(yes)) applies stablehlo.and across dimensions = "
        + "[\(batch.count)] : (\(boolean(diagonals.shape)), tensor<i1>) -> \(boolean(batch))")
    return w.emit(
      "stablehlo.broadcast_in_dim \(everyEntry), dims = \(MLIRText.list(Array(batch.indices))) : "
        + "(\(boolean(batch))) -> \(boolean(type.shape))")
  }

  /// Where, in each matrix of a batch of `shape`, the row index compares with the column
  /// index by `direction` (`EQ`: the diagonal, `GE`: on and below it, `GT`: below it).
  static func rowsAgainstColumns(_ w: inout StableHLOWriter, _ direction: String, _ shape: [Int])
    -> String
  {
    let integers = MLIRText.type(shape: shape, element: "i32")
    let rows = w.emit("stablehlo.iota dim = \(shape.count - 2) : \(integers)")
    let columns = w.emit("stablehlo.iota dim = \(shape.count - 1) : \(integers)")
    return w.emit(
      "stablehlo.compare \(direction), \(rows), \(columns), SIGNED : (\(integers), "
        + "\(integers)) -> \(boolean(shape))")
  }

  static func boolean(_ shape: [Int]) -> String {
    MLIRText.type(shape: shape, element: "i1")
  }
}
