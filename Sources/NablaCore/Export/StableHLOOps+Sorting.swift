extension StableHLOOps {
  /// The positions that sort each lane: a stable `stablehlo.sort` of the operand with an
  /// `iota` alongside, its comparator a total order in which −0 equals 0 and every NaN is one
  /// NaN above infinity (JAX's), so NaN sorts last ascending and first descending; the
  /// positions converted to the result's float type.
  static func argsort(axis: Int, descending: Bool) -> Write {
    { w, x, out in
      let value = x[0].type
      let positionsType = MLIRText.type(shape: value.shape, element: "i64")
      let iota = w.emit("stablehlo.iota dim = \(axis) : \(positionsType)")
      let scalar = value.with(shape: [])
      let (a, b, i, j) = (w.freshName(), w.freshName(), w.freshName(), w.freshName())
      let sorted = w.freshName()
      w.append(
        "\(sorted):2 = \"stablehlo.sort\"(\(x[0].name), \(iota)) "
          + "<{dimension = \(axis) : i64, is_stable = true}> ({")
      w.append(
        "^bb0(\(a): \(MLIRText.type(scalar)), \(b): \(MLIRText.type(scalar)), \(i): tensor<i64>, "
          + "\(j): tensor<i64>):")
      let (ka, kb) = (canonical(&w, a, scalar), canonical(&w, b, scalar))
      let before = w.emit(
        "stablehlo.compare \(descending ? "GT" : "LT"), \(ka), \(kb), TOTALORDER : "
          + "(\(MLIRText.type(scalar)), \(MLIRText.type(scalar))) -> tensor<i1>")
      w.append("stablehlo.return \(before) : tensor<i1>")
      w.append(
        "}) : (\(MLIRText.type(value)), \(positionsType)) -> (\(MLIRText.type(value)), "
          + "\(positionsType))")
      return w.emit("stablehlo.convert \(sorted)#1 : (\(positionsType)) -> \(MLIRText.type(out))")
    }
  }

  /// `x` with −0 made 0 and every NaN the one NaN: a key the total order sorts as numbers.
  private static func canonical(_ w: inout StableHLOWriter, _ x: String, _ scalar: TensorType)
    -> String
  {
    let t = MLIRText.type(scalar)
    let zero = w.splat(0, scalar)
    let isZero = w.emit("stablehlo.compare EQ, \(x), \(zero), FLOAT : (\(t), \(t)) -> tensor<i1>")
    let signless = w.emit("stablehlo.select \(isZero), \(zero), \(x) : tensor<i1>, \(t)")
    let isNaN = w.emit("stablehlo.compare NE, \(x), \(x), FLOAT : (\(t), \(t)) -> tensor<i1>")
    let nan = w.splat(.nan, scalar)
    return w.emit("stablehlo.select \(isNaN), \(nan), \(signless) : tensor<i1>, \(t)")
  }

  /// The position of each lane's largest (or smallest) element: a `stablehlo.reduce` of the
  /// values and an `iota` together, keeping the better value, a NaN over a number, and the
  /// lower position among equals (or among NaNs).
  static func argReduce(axis: Int, largest: Bool) -> Write {
    { w, x, out in
      let value = x[0].type
      let scalar = value.with(shape: [])
      let (t, i64) = (MLIRText.type(scalar), "tensor<i64>")
      let positionsType = MLIRText.type(shape: value.shape, element: "i64")
      let resultPositions = MLIRText.type(shape: out.shape, element: "i64")
      let iota = w.emit("stablehlo.iota dim = \(axis) : \(positionsType)")
      let start = w.splat(largest ? -.infinity : .infinity, scalar)
      let first = w.indices([0], shape: [])
      let (a, b, i, j) = (w.freshName(), w.freshName(), w.freshName(), w.freshName())
      let reduced = w.freshName()
      w.append(
        "\(reduced):2 = stablehlo.reduce(\(x[0].name) init: \(start)), (\(iota) init: \(first)) "
          + "across dimensions = [\(axis)] : (\(MLIRText.type(value)), \(positionsType), \(t), "
          + "\(i64)) -> (\(MLIRText.type(value.with(shape: out.shape))), \(resultPositions))")
      w.append(" reducer(\(a): \(t), \(b): \(t)) (\(i): \(i64), \(j): \(i64)) {")
      func compare(_ direction: String, _ l: String, _ r: String, _ type: String, _ kind: String)
        -> String
      {
        w.emit(
          "stablehlo.compare \(direction), \(l), \(r), \(kind) : (\(type), \(type)) -> tensor<i1>")
      }
      let better = compare(largest ? "GT" : "LT", a, b, t, "FLOAT")
      let aIsNaN = compare("NE", a, a, t, "FLOAT")
      let bIsNaN = compare("NE", b, b, t, "FLOAT")
      let bIsNumber = w.emit("stablehlo.not \(bIsNaN) : tensor<i1>")
      let nanOverNumber = w.emit("stablehlo.and \(aIsNaN), \(bIsNumber) : tensor<i1>")
      let equal = compare("EQ", a, b, t, "FLOAT")
      let bothNaN = w.emit("stablehlo.and \(aIsNaN), \(bIsNaN) : tensor<i1>")
      let tie = w.emit("stablehlo.or \(equal), \(bothNaN) : tensor<i1>")
      let earlier = compare("LT", i, j, i64, "SIGNED")
      let earlierTie = w.emit("stablehlo.and \(tie), \(earlier) : tensor<i1>")
      let wins = w.emit("stablehlo.or \(better), \(nanOverNumber) : tensor<i1>")
      let keepA = w.emit("stablehlo.or \(wins), \(earlierTie) : tensor<i1>")
      let kept = w.emit("stablehlo.select \(keepA), \(a), \(b) : tensor<i1>, \(t)")
      let position = w.emit("stablehlo.select \(keepA), \(i), \(j) : tensor<i1>, \(i64)")
      w.append("stablehlo.return \(kept), \(position) : \(t), \(i64)")
      w.append("}")
      return w.emit(
        "stablehlo.convert \(reduced)#1 : (\(resultPositions)) -> \(MLIRText.type(out))")
    }
  }

  /// `out[…, j, …] = x[…, p[…, j, …], …]`: the float positions as `i64` (negative ones
  /// counted from the end), one `stablehlo.gather` batched over the other axes, and NaN where
  /// a position is outside the axis (as nabla's kernel and JAX's "fill" mode).
  static func takeAlongAxis(axis: Int) -> Write {
    { w, x, out in
      let size = x[0].type.shape[axis]
      let (index, inside) = positions(&w, x[1], size: size)
      let rank = out.rank
      let others = (0..<rank).filter { $0 != axis }
      let batching =
        others.isEmpty
        ? ""
        : "operand_batching_dims = \(MLIRText.list(others)), "
          + "start_indices_batching_dims = \(MLIRText.list(others)), "
      let slices = Array(repeating: "1", count: rank).joined(separator: ", ")
      let gathered = w.emit(
        "\"stablehlo.gather\"(\(x[0].name), \(index)) <{dimension_numbers = "
          + "#stablehlo.gather<collapsed_slice_dims = [\(axis)], \(batching)start_index_map = "
          + "[\(axis)], index_vector_dim = \(rank)>, indices_are_sorted = false, "
          + "slice_sizes = array<i64: \(slices)>}> : (\(MLIRText.type(x[0].type)), "
          + "\(MLIRText.type(shape: out.shape + [1], element: "i64"))) -> \(MLIRText.type(out))")
      let nan = w.splat(.nan, out)
      return w.emit(
        "stablehlo.select \(inside), \(gathered), \(nan) : "
          + "\(MLIRText.type(shape: out.shape, element: "i1")), \(MLIRText.type(out))")
    }
  }

  /// `out[…, p[…, j, …], …] += v[…, j, …]` into zeros: one `stablehlo.scatter` batched over
  /// the other axes, adding; updates at positions outside the axis are left out (XLA's rule).
  static func scatterAddAlongAxis(axis: Int) -> Write {
    { w, x, out in
      let size = out.shape[axis]
      let (index, _) = positions(&w, x[1], size: size)
      let rank = out.rank
      let others = (0..<rank).filter { $0 != axis }
      let batching =
        others.isEmpty
        ? ""
        : "input_batching_dims = \(MLIRText.list(others)), "
          + "scatter_indices_batching_dims = \(MLIRText.list(others)), "
      let zeros = w.splat(0, out)
      let scalar = MLIRText.type(out.with(shape: []))
      let (a, b, sum) = (w.freshName(), w.freshName(), w.freshName())
      let result = w.emit(
        "\"stablehlo.scatter\"(\(zeros), \(index), \(x[0].name)) <{indices_are_sorted = false, "
          + "scatter_dimension_numbers = #stablehlo.scatter<inserted_window_dims = [\(axis)], "
          + "\(batching)scatter_dims_to_operand_dims = [\(axis)], index_vector_dim = \(rank)>, "
          + "unique_indices = false}> ({")
      w.append("^bb0(\(a): \(scalar), \(b): \(scalar)):")
      w.append("  \(sum) = stablehlo.add \(a), \(b) : \(scalar)")
      w.append("  stablehlo.return \(sum) : \(scalar)")
      w.append(
        "}) : (\(MLIRText.type(out)), \(MLIRText.type(shape: x[1].type.shape + [1], element: "i64"))"
          + ", \(MLIRText.type(x[0].type))) -> \(MLIRText.type(out))")
      return result
    }
  }

  /// Float positions `p` along an axis of `size` elements as `i64` indices with a trailing
  /// axis of 1 (negative ones counted from the end), and where they fall inside the axis.
  private static func positions(
    _ w: inout StableHLOWriter, _ p: StableHLOLowering.Operand, size: Int
  ) -> (index: String, inside: String) {
    let shape = p.type.shape
    let i64 = MLIRText.type(shape: shape, element: "i64")
    let i1 = MLIRText.type(shape: shape, element: "i1")
    func splat(_ value: Int) -> String {
      let c = w.indices([value], shape: [])
      return w.emit("stablehlo.broadcast_in_dim \(c), dims = [] : (tensor<i64>) -> \(i64)")
    }
    let raw = w.emit("stablehlo.convert \(p.name) : (\(MLIRText.type(p.type))) -> \(i64)")
    let (zero, length) = (splat(0), splat(size))
    let negative = w.emit(
      "stablehlo.compare LT, \(raw), \(zero), SIGNED : (\(i64), \(i64)) -> \(i1)")
    let wrapped = w.emit("stablehlo.add \(raw), \(length) : \(i64)")
    let index = w.emit("stablehlo.select \(negative), \(wrapped), \(raw) : \(i1), \(i64)")
    let atLeastZero = w.emit(
      "stablehlo.compare GE, \(index), \(zero), SIGNED : (\(i64), \(i64)) -> \(i1)")
    let belowSize = w.emit(
      "stablehlo.compare LT, \(index), \(length), SIGNED : (\(i64), \(i64)) -> \(i1)")
    let inside = w.emit("stablehlo.and \(atLeastZero), \(belowSize) : \(i1)")
    let column = w.emit(
      "stablehlo.reshape \(index) : (\(i64)) -> "
        + MLIRText.type(shape: shape + [1], element: "i64"))
    return (column, inside)
  }
}
