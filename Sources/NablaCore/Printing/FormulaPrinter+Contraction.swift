extension FormulaPrinter.Printer {
  /// A contraction as the matrix product, `dot` or `outer` that computes it, with operands
  /// transposed (`'`) where its dimension numbers pair other axes: `W * x`, `W' * v`,
  /// `A * B'`, `dot(a, b)`, `outer(a, b)`; batched matrices as `A * B`. `nil` for the other
  /// contractions (they have no spelling without `einsum`).
  mutating func contraction(_ lhs: Var, _ rhs: Var, _ d: DotDimensions, shape: [Int])
    -> Written?
  {
    let (l, r) = (graph.type(of: lhs).rank, graph.type(of: rhs).rank)
    guard let a = exact(lhs), let b = exact(rhs) else { return nil }
    func written(_ text: String, _ precedence: FormulaPrinter.Precedence) -> Written {
      Written(text: text, precedence: precedence, shape: shape)
    }
    func transposed(_ w: Written) -> String { FormulaPrinter.wrap(w, .atom) + "'" }
    func matmul(_ left: String, _ right: String) -> Written {
      written(left + " * " + right, .product)
    }
    let (left, right) = (FormulaPrinter.wrap(a, .product), FormulaPrinter.wrap(b, .power))
    let batch = d.lhsBatch.count
    guard d.lhsBatch == Array(0..<batch), d.rhsBatch == d.lhsBatch else { return nil }
    switch (l - batch, r - batch, d.lhsContract, d.rhsContract) {
    case (1, 1, [], []) where batch == 0: return written("outer(\(a.text), \(b.text))", .atom)
    case (1, 1, [0], [0]) where batch == 0: return written("dot(\(a.text), \(b.text))", .atom)
    case (2, 1, [1], [0]) where batch == 0: return matmul(left, right)
    case (2, 1, [0], [0]) where batch == 0: return matmul(transposed(a), right)
    case (1, 2, [0], [1]) where batch == 0:
      return matmul(FormulaPrinter.wrap(b, .product), FormulaPrinter.wrap(a, .power))
    case (1, 2, [0], [0]) where batch == 0:
      return matmul(transposed(b), FormulaPrinter.wrap(a, .power))
    case (2, 2, [l - 1], [r - 2]): return matmul(left, right)
    case (2, 2, [l - 2], [r - 2]) where batch == 0: return matmul(transposed(a), right)
    case (2, 2, [l - 1], [r - 1]) where batch == 0: return matmul(left, transposed(b))
    case (2, 2, [l - 2], [r - 1]) where batch == 0: return matmul(transposed(a), transposed(b))
    default: return nil
    }
  }
}
