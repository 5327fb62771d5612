import Testing

@testable import NablaCore

/// Sorting, argmax/argmin and take_along_axis: ties, NaN, derivatives that compose and batch,
/// and the diagnostics. Reference values are worked by hand or taken from JAX (float64).
@Suite struct SortingTests {
  /// The kernels on lanes with ties and NaN, along a middle axis.
  @Test func kernelsOrderTiesStablyWithNaNLargest() {
    // shape [1, 4, 2]: lanes (0, 0) = [2, nan, 2, −1] and (0, 1) = [0, 0, nan, nan]
    let x = Tensor(shape: [1, 4, 2], values: [2, 0, .nan, 0, 2, .nan, -1, .nan], dtype: .f64)
    #expect(Argsort(axis: 1, descending: false).evaluate([x]).doubles == [3, 0, 0, 1, 2, 2, 1, 3])
    #expect(Argsort(axis: 1, descending: true).evaluate([x]).doubles == [1, 2, 0, 3, 2, 0, 3, 1])
    #expect(ArgReduce(axis: 1, largest: true).evaluate([x]).doubles == [1, 2])
    #expect(ArgReduce(axis: 1, largest: false).evaluate([x]).doubles == [1, 2])
    let y = Tensor(shape: [3], values: [1, 1, 0.5], dtype: .f32)
    #expect(ArgReduce(axis: 0, largest: true).evaluate([y]).doubles == [0])
    #expect(ArgReduce(axis: 0, largest: false).evaluate([y]).doubles == [2])
  }

  @Test func scatterAddsRepeatedPositionsAndDropsOutsideOnes() {
    let v = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6], dtype: .f64)
    let p = Tensor(shape: [2, 3], values: [0, 0, -1, 5, 1, 1], dtype: .f64)
    let out = ScatterAddAlongAxis(axis: 1, size: 2).evaluate([v, p])
    #expect(out.shape == [2, 2])
    #expect(out.doubles == [3, 3, 0, 11])
  }

  @Test func positionsAreIntegers() throws {
    for program in ["argsort([2, 1])", "argmax([2, 1])", "argmin([[2, 1]], dim=1)"] {
      #expect(try Run(program).tensor().kind == .integer, "\(program)")
    }
    #expect(try Run("sort([2, 1])").tensor().kind == .float)
  }

  /// JAX: `jax.hessian(lambda x: jnp.sum(jnp.sort(x)[:2]**2))(jnp.array([3., 1, 2]))`.
  @Test func hessianThroughSort() throws {
    let t = try Run("hessian(x -> sum(sort(x)[:2]^2))([3, 1, 2])", dtype: .f64).tensor()
    expectClose(t, [0, 0, 0, 0, 2, 0, 0, 0, 2], shape: [3, 3])
    // descending along the first axis of a matrix, forward over reverse and reverse twice
    for transform in ["jacfwd(jacrev(f))", "jacrev(jacrev(f))"] {
      let program =
        "f(x) = sum(sort(x, dim=0, descending=True)[0]^3); \(transform)([[1, 4], [2, 3]])"
      // d²/dx² of x³ is 6x at the column maxima 2 (element 2) and 4 (element 1)
      let h = try Run(program, dtype: .f64).tensor()
      var expected = Array(repeating: 0.0, count: 16)
      expected[1 * 4 + 1] = 24
      expected[2 * 4 + 2] = 12
      expectClose(h, expected, shape: [2, 2, 2, 2])
    }
  }

  /// JAX: `jax.grad(lambda x: jnp.sum(jnp.take_along_axis(x, i, axis=1)**2))(x)` with
  /// repeated positions, whose cotangents add.
  @Test func gradientThroughTakeAlongAxisAddsIntoPlace() throws {
    let program = """
      x = [[3, 1, 2], [0, 5, 4]]
      grad(x -> sum(take_along_axis(x, [[0, 0, 2], [1, 1, 1]], 1)^2))(x)
      """
    expectClose(try Run(program, dtype: .f64).tensor(), [12, 0, 4, 0, 30, 0], shape: [2, 3])
    // the positions computed inside the function, from its argument
    let sorted = "grad(x -> sum(take_along_axis(x, argsort(x), 0) * [1, 2, 3]))([3, 1, 2])"
    expectClose(try Run(sorted, dtype: .f64).tensor(), [3, 1, 2], shape: [3])
  }

  @Test func sortJVPMovesTangentsWithTheirElements() throws {
    let program = "jvp(x -> sort(x, descending=True), ([1, 3, 2],), ([10, 30, 20],))[1]"
    expectClose(try Run(program, dtype: .f64).tensor(), [30, 20, 10], shape: [3])
    let argmax = "grad(x -> sum(x * argmax(x)))([1, 3, 2])"  // argmax is a constant 1
    expectClose(try Run(argmax, dtype: .f64).tensor(), [1, 1, 1], shape: [3])
  }

  @Test func sortingBatchesUnderVmap() throws {
    let rows = "[[3, 1, 2], [0, -1, 5]]"
    expectClose(
      try Run("vmap(sort)(\(rows))", dtype: .f64).tensor(), [1, 2, 3, -1, 0, 5], shape: [2, 3])
    expectClose(try Run("vmap(argmax)(\(rows))", dtype: .f64).tensor(), [0, 2], shape: [2])
    expectClose(
      try Run("vmap(x -> argsort(x, descending=True))(\(rows))", dtype: .f64).tensor(),
      [0, 2, 1, 2, 0, 1], shape: [2, 3])
    // batched gradients: each row's sorted values weighted 1, 2, 3
    let grads = "vmap(grad(x -> sum(sort(x) * [1, 2, 3])))(\(rows))"
    expectClose(try Run(grads, dtype: .f64).tensor(), [3, 1, 2, 2, 1, 3], shape: [2, 3])
    // positions batched, values not, and the other way round
    let take = "vmap(p -> take_along_axis([10, 20, 30], p, 0))(int64([[2, 0], [1, 1]]))"
    expectClose(try Run(take, dtype: .f64).tensor(), [30, 10, 20, 20], shape: [2, 2])
    let values = "vmap(x -> take_along_axis(x, [2, 0], 0))([[1, 2, 3], [4, 5, 6]])"
    expectClose(try Run(values, dtype: .f64).tensor(), [3, 1, 6, 4], shape: [2, 2])
  }

  /// Sparsity detection: an element of a sorted lane depends on every element of its lane
  /// and on no other (a 3×2 matrix sorted along rows: three 2×2 blocks).
  @Test func sortedLanesDependOnTheirWholeLane() {
    let rows = Run("jacobian_sparsity(x -> sort(x, dim=1))(ones(3, 2))")
    #expect(rows.values.hasPrefix("sparse(shape=(6, 6), nnz=12"), "\(rows.values)")
    let columns = Run(
      "jacobian_sparsity(x -> take_along_axis(x, argmax(x, dim=0, keepdim=True), 0))(ones(2, 3))")
    #expect(columns.values.hasPrefix("sparse(shape=(3, 6), nnz=6"), "\(columns.values)")
  }

  /// Positions computed at run time read NaN outside the axis (JAX's fill), and their
  /// cotangents are dropped; positions known while tracing are checked (NumPy, PyTorch).
  @Test func computedPositionsOutsideTheAxisReadNaN() throws {
    let program = "vmap(x -> take_along_axis([1, 2], argsort(x) + 1, 0))([[5, 6]])"
    expectClose(try Run(program, dtype: .f64).tensor(), [2, .nan], shape: [1, 2])
    let grads =
      "vmap(grad((x, p) -> sum(take_along_axis(x, p, 0))), in_dims=(None, 0))([1, 2], int64([[1, 5]]))"
    expectClose(try Run(grads, dtype: .f64).tensor(), [0, 1], shape: [1, 2])
  }

  @Test(arguments: [
    ("take_along_axis([1, 2, 3], [3], 0)", "invalidArgument(_:_:help:)"),
    ("take_along_axis([1, 2, 3], [-4], 0)", "invalidArgument(_:_:help:)"),
    ("take_along_axis([1, 2, 3], [0.5], 0)", "invalidArgument(_:_:help:)"),
    // computed indices must be int64 (as in JAX and PyTorch); written-out lists are floats
    ("x = [3, 1, 2]; take_along_axis(x, argsort(x) * 1.0, 0)", "invalidArgument(_:_:help:)"),
    ("take_along_axis([1, 2, 3], [1, 0, 1] > 0, 0)", "invalidArgument(_:_:help:)"),
    ("take_along_axis([[1, 2, 3]], [0], 1)", "shapeMismatch(_:)"),
    ("take_along_axis([[1, 2], [3, 4], [5, 6]], [[0], [1]], 1)", "shapeMismatch(_:)"),
    ("take_along_axis([[1, 2]], [[0]], None)", "shapeMismatch(_:)"),
    ("take_along_axis([1, 2], [0], 1)", "axisOutOfRange(_:rank:)"),
    ("argmax(zeros(0))", "emptyReduction(_:)"),
    ("argmin(zeros(2, 0), dim=1)", "emptyReduction(_:)"),
    ("argmax([1, 2], dim=1)", "axisOutOfRange(_:rank:)"),
    ("sort([1, 2], dim=2)", "axisOutOfRange(_:rank:)"),
  ])
  func misuseIsADiagnostic(_ program: String, _ id: String) {
    let run = Run(program)
    #expect(run.diagnostic?.message.id == id, "\(program): \(run.diagnostics)")
  }
}
