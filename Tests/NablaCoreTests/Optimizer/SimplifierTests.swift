import Testing

@testable import NablaCore

/// The simplifier: every rewrite computes the same values as the graph it replaces (checked by
/// running both on random inputs in float64), and Jacobians of the workloads' shapes cost what
/// their answers cost.
@Suite struct SimplifierTests {
  /// A graph built by `body` from inputs of the given shapes (float64).
  func graph(_ shapes: [[Int]], _ body: (GraphBuilder, [Var]) throws -> Var) throws -> Graph {
    let b = GraphBuilder()
    let inputs = shapes.map { b.input(TensorType(.f64, $0)) }
    return b.finish(outputs: [try body(b, inputs)])
  }

  /// The `n × n` identity as the Jacobian basis builds it: `iota[i] == iota[j]`.
  func identity(_ b: GraphBuilder, _ n: Int) throws -> Var {
    let index = try b.constant(Tensor(shape: [n], values: (0..<n).map(Double.init), dtype: .f64))
    let rows = try b.emit(.broadcast(shape: [n, n], dims: [0]), [index])
    let columns = try b.emit(.broadcast(shape: [n, n], dims: [1]), [index])
    return try b.emit(.compare(.eq), [rows, columns])
  }

  /// Runs `g` and its simplified form on the same random inputs; returns the simplified graph.
  @discardableResult
  func expectSameValues(_ g: Graph, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> Graph
  {
    let simplified = try Simplifier.simplify(g)
    try Verifier.verify(simplified)
    var generator = TorchGenerator(seed: 7)
    let inputs = g.inputs.map { v in
      let t = g.type(of: v)
      return Tensor(shape: t.shape, storage: generator.normal(count: t.count, dtype: .f64))
    }
    let expected = try Interpreter().run(g, inputs: inputs)
    let actual = try Interpreter().run(simplified, inputs: inputs)
    for (e, a) in zip(expected, actual) {
      #expect(a.shape == e.shape, sourceLocation: sourceLocation)
      let error = zip(a.doubles, e.doubles).map { abs($0 - $1) }.max() ?? 0
      #expect(error <= 1e-12, "max error \(error)", sourceLocation: sourceLocation)
    }
    return simplified
  }

  func kinds(_ g: Graph) -> [Primitive.Kind] { g.equations.map(\.primitive.kind) }

  /// Uniform values propagate by each primitive's rule: a sum of a broadcast one, a slice and
  /// a transpose of a broadcast zero, a contraction with a broadcast constant, computed as one
  /// number instead of materialised.
  @Test func uniformValuesPropagateThroughReductionsSlicesAndContractions() throws {
    let g = try graph([[3], [4, 3]]) { b, x in
      let one = try b.scalar(1, .f64)
      let ones = try b.emit(.broadcast(shape: [5000], dims: []), [one])
      let count = try b.emit(.reduceSum(axes: [0]), [ones])  // 5000
      let zeros = try b.emit(.broadcast(shape: [6, 4], dims: []), [try b.scalar(0, .f64)])
      let sliced = try b.emit(.slice(start: [0, 0], limit: [3, 4], stride: [1, 1]), [zeros])
      let moved = try b.emit(.transpose(permutation: [1, 0]), [sliced])  // [4, 3] of zeros
      let halves = try b.emit(.broadcast(shape: [3], dims: []), [try b.scalar(0.5, .f64)])
      let product = try b.emit(  // W · (½, ½, ½): each row's sum halved; not uniform
        .dotGeneral(.init(lhsBatch: [], rhsBatch: [], lhsContract: [1], rhsContract: [0])),
        [x[1], halves])
      let total = try b.emit(.add, [x[1], moved])  // + 0
      let scaled = try b.emit(.mul, [x[0], try b.emit(.broadcast(shape: [3], dims: []), [count])])
      let rows = try b.emit(.reduceSum(axes: [1]), [total])
      let scalar = try b.emit(.reduceSum(axes: [0]), [scaled])
      let spread = try b.emit(.broadcast(shape: [4], dims: []), [scalar])
      return try b.emit(.add, [try b.emit(.add, [rows, product]), spread])
    }
    let simplified = try expectSameValues(g)
    let kinds = simplified.equations.map(\.primitive.kind)
    #expect(
      !kinds.contains(.slice) && !kinds.contains(.transpose), "\(GraphPrinter.print(simplified))")
    #expect(
      !simplified.equations.contains { graphType(simplified, $0.output).count >= 5000 },
      "\(GraphPrinter.print(simplified))")
  }

  func graphType(_ g: Graph, _ v: Var) -> TensorType { g.type(of: v) }

  /// An identity written by hand (`reshape(arange(n), n, 1) == arange(n)`: two constants of
  /// different shapes) is recognised, and a contraction pairing its two axes as a batch and a
  /// contracted axis collapses: `Σ_c δ(i, c) v[i] · b[i, c] = v[i] · b[i, i]` for `b` diagonal
  /// itself or a broadcast, without an n × n product.
  @Test func diagonalBatchContractionCollapses() throws {
    let n = 5
    let g = try graph([[n], [n]]) { b, x in
      let column = try b.constant(
        Tensor(shape: [n, 1], values: (0..<n).map(Double.init), dtype: .f64))
      let row = try b.constant(Tensor(shape: [n], values: (0..<n).map(Double.init), dtype: .f64))
      let identity = try b.emit(
        .compare(.eq),
        [
          try b.emit(.broadcast(shape: [n, n], dims: [0, 1]), [column]),
          try b.emit(.broadcast(shape: [n, n], dims: [1]), [row]),
        ])
      let scaled = try b.emit(
        .mul, [identity, try b.emit(.broadcast(shape: [n, n], dims: [1]), [x[0]])])
      let spread = try b.emit(.broadcast(shape: [n, n], dims: [0]), [x[1]])
      return try b.emit(
        .dotGeneral(.init(lhsBatch: [0], rhsBatch: [0], lhsContract: [1], rhsContract: [1])),
        [scaled, spread])  // out[i] = x0[i] · x1[i]
    }
    let simplified = try expectSameValues(g)
    #expect(
      !simplified.equations.contains { simplified.type(of: $0.output).shape == [n, n] },
      "\(GraphPrinter.print(simplified))")
  }

  @Test func identityTimesMatrixIsTheMatrix() throws {
    let g = try graph([[5, 3]]) { b, x in try b.matmul(try identity(b, 5), x[0]) }
    #expect(try expectSameValues(g).equations.isEmpty)
  }

  @Test func scaledIdentityProductsBecomeScalings() throws {
    // (I .* v[None, :]) @ W and W' @ (I .* v[:, None]), the shape of a reverse-mode Jacobian
    let g = try graph([[6], [6, 4]]) { b, x in
      let scale = try b.emit(.broadcast(shape: [6, 6], dims: [1]), [x[0]])
      let d = try b.emit(.mul, [try identity(b, 6), scale])
      let left = try b.matmul(d, x[1])
      let right = try b.matmul(try b.matrixTranspose(x[1]), try b.neg(d))
      return try b.emit(.add, [left, try b.matrixTranspose(right)])
    }
    #expect(!kinds(try expectSameValues(g)).contains(.dotGeneral))
  }

  @Test func batchedDiagonalsTimesAMatrixBecomeScalings() throws {
    // a batch of diagonal matrices [3, 4, 4] contracted with W [4, 5] (what the batching rule
    // of a contraction gives for vmap over a Jacobian)
    let g = try graph([[3, 4], [4, 5]]) { b, x in
      let basis = try b.emit(.broadcast(shape: [3, 4, 4], dims: [1, 2]), [try identity(b, 4)])
      let values = try b.emit(.broadcast(shape: [3, 4, 4], dims: [0, 2]), [x[0]])
      let d = try b.emit(
        .div, [try b.emit(.mul, [basis, values]), try b.full(2, TensorType(.f64, [3, 4, 4]))])
      let dims = DotDimensions(lhsBatch: [], rhsBatch: [], lhsContract: [2], rhsContract: [0])
      return try b.emit(.dotGeneral(dims), [d, x[1]])
    }
    #expect(!kinds(try expectSameValues(g)).contains(.dotGeneral))
  }

  @Test func diagonalSurvivesTransposeAndUnitAxes() throws {
    let g = try graph([[4, 3], [2, 4]]) { b, x in
      let d = try b.emit(
        .mul,
        [
          try b.emit(.broadcast(shape: [3, 4, 4], dims: [1, 2]), [try identity(b, 4)]),
          try b.emit(
            .broadcast(shape: [3, 4, 4], dims: [0, 2]), [try b.transpose(x[0], [1, 0])]),
        ])
      let moved = try b.reshape(try b.transpose(d, [2, 0, 1]), [4, 3, 1, 4])  // [4, 3, 4]
      let back = try b.transpose(try b.reshape(moved, [4, 3, 4]), [1, 0, 2])  // [3, 4, 4]
      let w = try b.emit(
        .broadcast(shape: [3, 4, 2], dims: [1, 2]), [try b.matrixTranspose(x[1])])
      return try b.matmul(back, w)
    }
    #expect(!kinds(try expectSameValues(g)).contains(.dotGeneral))
  }

  @Test func diagonalConstantsAreRecognised() throws {
    let g = try graph([[3, 3]]) { b, x in
      let d = try b.constant(
        Tensor(shape: [3, 3], values: [2, 0, 0, 0, -1, 0, 0, 0, 5], dtype: .f64))
      return try b.emit(.add, [try b.matmul(x[0], d), try b.matmul(d, x[0])])
    }
    #expect(!kinds(try expectSameValues(g)).contains(.dotGeneral))
  }

  @Test func diagonalSurvivesFunctionsThatKeepZero() throws {
    // sin(I .* v) and max(D, −D) are diagonal (f(0) = 0, f(0, 0) = 0); exp(I .* v) is not
    let g = try graph([[5], [5, 3]]) { b, x in
      let d = try b.emit(
        .mul, [try identity(b, 5), try b.emit(.broadcast(shape: [5, 5], dims: [0]), [x[0]])])
      let sines = try b.unary(.sin, d)
      let largest = try b.emit(.max, [sines, try b.neg(sines)])
      return try b.matmul(try b.unary(.tanh, largest), x[1])
    }
    #expect(!kinds(try expectSameValues(g)).contains(.dotGeneral))
    let dense = try graph([[5], [5, 3]]) { b, x in
      let d = try b.emit(
        .mul, [try identity(b, 5), try b.emit(.broadcast(shape: [5, 5], dims: [0]), [x[0]])])
      return try b.matmul(try b.unary(.exp, d), x[1])
    }
    #expect(kinds(try expectSameValues(dense)).contains(.dotGeneral))
  }

  @Test func aDiagonalDividedByADiagonalIsNotDiagonal() throws {
    // off the diagonal it is 0 / 0: the product must stay a product (and give NaN there)
    let g = try graph([[4], [4, 2]]) { b, x in
      let d = try b.emit(
        .mul, [try identity(b, 4), try b.emit(.broadcast(shape: [4, 4], dims: [1]), [x[0]])])
      return try b.matmul(try b.emit(.div, [d, d]), x[1])
    }
    let simplified = try Simplifier.simplify(g)
    #expect(kinds(simplified).contains(.dotGeneral))
  }

  @Test func algebraicIdentitiesDisappear() throws {
    let g = try graph([[2, 3]]) { b, x in
      let one = try b.emit(.mul, [x[0], try b.full(1, TensorType(.f64, [2, 3]))])
      let zero = try b.emit(
        .sub,
        [
          try b.emit(.add, [try b.zeros(TensorType(.f64, [2, 3])), one]),
          try b.zeros(TensorType(.f64, [2, 3])),
        ])
      let twice = try b.transpose(try b.transpose(try b.neg(try b.neg(zero)), [1, 0]), [1, 0])
      return try b.reshape(try b.reshape(twice, [6]), [2, 3])
    }
    #expect(try expectSameValues(g).equations.isEmpty)
  }

  @Test func transposeMovesBelowElementwiseOperationsOnBroadcasts() throws {
    let g = try graph([[4], [5]]) { b, x in
      let u = try b.emit(.broadcast(shape: [4, 5, 6], dims: [0]), [x[0]])
      let v = try b.emit(.broadcast(shape: [4, 5, 6], dims: [1]), [x[1]])
      return try b.transpose(try b.emit(.sin, [try b.emit(.mul, [u, v])]), [2, 0, 1])
    }
    #expect(!kinds(try expectSameValues(g)).contains(.transpose))
  }

  @Test func outerProductsAndSplitReshapesBecomeBroadcastProducts() throws {
    let g = try graph([[4, 1], [1, 6]]) { b, x in
      let outer = try b.matmul(x[0], x[1])  // [4, 6]
      let split = try b.reshape(try b.emit(.exp, [outer]), [4, 2, 3])
      return try b.transpose(split, [2, 0, 1])
    }
    let simplified = try expectSameValues(g)
    #expect(!kinds(simplified).contains(.dotGeneral))
    // only the small operands are rearranged, not the 24-element result
    for eq in simplified.equations where eq.primitive.kind == .transpose {
      #expect(simplified.type(of: eq.output).count < 24)
    }
  }

  /// A Hessian's product in the order differentiation builds it,
  /// `−(s[b,o]·2W[o,j]) · W[o,i]` with every partial product as large as `[b,o,j]`, is
  /// multiplied small factors first: `(−2s)[b,o] · (W[o,j]·W[o,i])`, one product of the full
  /// size and nothing else larger than `[o,i,j]`.
  @Test func productsOfBroadcastsMultiplyTheSmallFactorsFirst() throws {
    let (batch, outputs, inputs) = (16, 5, 7)
    let full = [batch, outputs, inputs, inputs]
    let g = try graph([[batch, outputs], [outputs, inputs]]) { b, x in
      let s = try b.emit(.broadcast(shape: [batch, outputs, inputs], dims: [0, 1]), [x[0]])
      let twoW = try b.emit(.add, [x[1], x[1]])
      let w = try b.emit(.broadcast(shape: [batch, outputs, inputs], dims: [1, 2]), [twoW])
      let left = try b.neg(try b.emit(.mul, [s, w]))
      let rows = try b.emit(.broadcast(shape: full, dims: [0, 1, 3]), [left])
      let columns = try b.emit(.broadcast(shape: full, dims: [1, 2]), [x[1]])
      return try b.emit(.mul, [rows, columns])
    }
    let simplified = try expectSameValues(g)
    let written = simplified.equations.filter { $0.primitive.kind != .broadcast }
      .map { simplified.type(of: $0.output).count }
    #expect(written.filter { $0 == full.reduce(1, *) }.count == 1)
    #expect(written.allSatisfy { $0 == full.reduce(1, *) || $0 <= outputs * inputs * inputs })
  }

  @Test func splitGroupsDescribeOnlySplittingReshapes() {
    #expect(Rewriter.splitGroups([16, 256], [16, 16, 16]) == [[0], [1, 2]])
    #expect(Rewriter.splitGroups([6], [1, 2, 3, 1]) == [[0, 1, 2, 3]])
    #expect(Rewriter.splitGroups([6, 1], [6]) == [[0], []])
    #expect(Rewriter.splitGroups([2, 3], [3, 2]) == nil)
    #expect(Rewriter.splitGroups([4, 4], [16]) == nil)
  }

  /// The largest value of the simplified plan is no larger than the answer (the workloads'
  /// shapes, scaled down): no n-fold repetition of the answer is materialised.
  @Test(arguments: [
    "hessian(predict, argnums=2)(W, b, x)",
    "jacfwd(jacfwd(predict, argnums=2), argnums=2)(W, b, x)",
    "jacrev(jacrev(predict, argnums=2), argnums=2)(W, b, x)",
    "jacfwd(predict, argnums=2)(W, b, x)",
    "jacrev(predict, argnums=2)(W, b, x)",
  ])
  func jacobiansCostWhatTheirAnswerCosts(_ call: String) throws {
    for (din, dout) in [(64, 8), (8, 64)] {
      let run = Run(
        "predict(W, b, x) = tanh(linear(x, W, b)); W = randn(\(dout), \(din)); b = randn(\(dout)); x = randn(\(din)); \(call)",
        seed: 0
      ) {
        $0.choosesJacobianMode = true; $0.graph = .text
      }
      let answer = try run.tensor().count
      let largest = largestTensor(in: run.diagnostics)
      #expect(largest <= answer, "\(call) at \(din)→\(dout): \(largest) > \(answer)")
    }
  }

  /// The most elements of any value in the last graph of a `--graph` listing.
  func largestTensor(in listing: String) -> Int {
    guard let last = listing.components(separatedBy: "{ lambda").last else { return 0 }
    var largest = 0
    for match in last.matches(of: /f(?:32|64)\[([0-9,]*)\]/) {
      let n = match.1.split(separator: ",").reduce(1) { $0 * (Int($1) ?? 1) }
      largest = max(largest, n)
    }
    return largest
  }
}
