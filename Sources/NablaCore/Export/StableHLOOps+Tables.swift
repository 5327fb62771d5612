extension StableHLOOps {
  /// `out[i] = x[table[i]]` over flat positions, 0 where the table says −1: the operand
  /// flattened (with a zero appended for the −1 entries, which read it), one
  /// `stablehlo.gather` of single elements at the table's constant positions, reshaped.
  static func gather(_ table: ElementTable) -> Write {
    { w, x, out in
      let n = x[0].type.count
      var source = flatten(&w, x[0])
      var flatType = x[0].type.with(shape: [n])
      if table.hasEmpty {
        source = appendingZero(&w, source, flatType)
        flatType = flatType.with(shape: [n + 1])
      }
      let m = table.positions.count
      let positions = w.indices(table.positions.map { $0 < 0 ? n : $0 }, shape: [m, 1])
      let gathered = w.emit(
        "\"stablehlo.gather\"(\(source), \(positions)) <{dimension_numbers = "
          + "#stablehlo.gather<collapsed_slice_dims = [0], start_index_map = [0], "
          + "index_vector_dim = 1>, indices_are_sorted = false, slice_sizes = array<i64: 1>}> : "
          + "(\(MLIRText.type(flatType)), \(MLIRText.type(shape: [m, 1], element: "i64"))) -> "
          + MLIRText.type(out.with(shape: [m])))
      return w.emit(
        "stablehlo.reshape \(gathered) : (\(MLIRText.type(out.with(shape: [m])))) -> "
          + MLIRText.type(out))
    }
  }

  /// `out[table[i]] += x[i]` into zeros: one `stablehlo.scatter` with an adding region into
  /// a flat zero tensor (one element longer when the table has −1 entries, which land there
  /// and are cut off), reshaped.
  static func scatterAdd(_ table: ElementTable) -> Write {
    { w, x, out in
      let n = out.count
      let m = table.positions.count
      let updates = flatten(&w, x[0])
      let size = table.hasEmpty ? n + 1 : n
      let flatType = out.with(shape: [size])
      let zeros = w.splat(0, flatType)
      let positions = w.indices(table.positions.map { $0 < 0 ? n : $0 }, shape: [m, 1])
      let scalar = MLIRText.type(out.with(shape: []))
      let (a, b) = (w.freshName(), w.freshName())
      let sum = w.freshName()
      let result = w.emit(
        "\"stablehlo.scatter\"(\(zeros), \(positions), \(updates)) <{indices_are_sorted = false, "
          + "scatter_dimension_numbers = #stablehlo.scatter<inserted_window_dims = [0], "
          + "scatter_dims_to_operand_dims = [0], index_vector_dim = 1>, unique_indices = false}> ({"
      )
      w.append("^bb0(\(a): \(scalar), \(b): \(scalar)):")
      w.append("  \(sum) = stablehlo.add \(a), \(b) : \(scalar)")
      w.append("  stablehlo.return \(sum) : \(scalar)")
      w.append(
        "}) : (\(MLIRText.type(flatType)), \(MLIRText.type(shape: [m, 1], element: "i64")), "
          + "\(MLIRText.type(out.with(shape: [m])))) -> \(MLIRText.type(flatType))")
      var flat = result
      if table.hasEmpty {
        flat = w.emit(
          "stablehlo.slice \(result) [0:\(n):1] : (\(MLIRText.type(flatType))) -> "
            + MLIRText.type(out.with(shape: [n])))
      }
      return w.emit(
        "stablehlo.reshape \(flat) : (\(MLIRText.type(out.with(shape: [n])))) -> "
          + MLIRText.type(out))
    }
  }

  /// The operand as a vector of its elements.
  private static func flatten(_ w: inout StableHLOWriter, _ x: Operand) -> String {
    guard x.type.rank != 1 else { return x.name }
    return w.emit(
      "stablehlo.reshape \(x.name) : (\(MLIRText.type(x.type))) -> "
        + MLIRText.type(x.type.with(shape: [x.type.count])))
  }

  /// A vector with one zero appended.
  private static func appendingZero(
    _ w: inout StableHLOWriter, _ x: String, _ type: TensorType
  ) -> String {
    let zero = w.splat(0, type.with(shape: [1]))
    let n = type.shape.first ?? 0
    return w.emit(
      "stablehlo.concatenate \(x), \(zero), dim = 0 : (\(MLIRText.type(type)), "
        + "\(MLIRText.type(type.with(shape: [1])))) -> \(MLIRText.type(type.with(shape: [n + 1])))")
  }
}
