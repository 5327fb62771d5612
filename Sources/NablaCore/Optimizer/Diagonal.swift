/// A value that is zero off the diagonal of two of its axes `p < q` (of equal size):
/// `x[…, i (axis p), …, j (axis q), …] = (i == j) · values[…, i, …]`, where `values` has the
/// shape of `x` without axis `q` and carries the diagonal index at axis `p`.
///
/// Jacobian bases are identities, and everything an elementwise derivative multiplies them by
/// keeps them diagonal, so ``Rewriter`` tracks this to turn products with them into scalings.
struct Diagonal {
  var p: Int
  var q: Int
  var values: Var

  /// `shape` without axis `q`: the shape of ``values``.
  func valuesShape(_ shape: [Int]) -> [Int] {
    var s = shape
    s.remove(at: q)
    return s
  }
}
