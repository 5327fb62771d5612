/// The LAPACK custom calls JAX's CPU runtime (jaxlib) registers, as the export writes them.
extension StableHLOWriter {
  /// A constant of 32-bit integers all equal to `value`.
  mutating func integers(_ value: Int, _ shape: [Int]) -> String {
    emit("stablehlo.constant dense<\(value)> : \(MLIRText.type(shape: shape, element: "i32"))")
  }

  /// A call of a LAPACK routine (`getrf`, …) of JAX's CPU runtime for `dtype`, with the
  /// attributes `jax.jit(…).lower(…)` gives it: the typed-FFI `mhlo.backend_config`, the
  /// number of leading batch axes, each matrix column-major (layout `[r−2, r−1, r−3, …, 0]`,
  /// minor to major) and every other operand row-major, the first result written over the
  /// first operand. `isMatrix` marks the operands and results that are matrices. Returns the
  /// results' names.
  mutating func lapack(
    _ routine: String, _ dtype: DType,
    operands: [(name: String, shape: [Int], element: String, isMatrix: Bool)], config: String,
    batch: Int, results: [(shape: [Int], element: String, isMatrix: Bool)]
  ) -> [String] {
    func layout(_ rank: Int, _ isMatrix: Bool) -> String {
      let order =
        isMatrix && rank >= 2
        ? [rank - 2, rank - 1] + Array((0..<(rank - 2)).reversed())
        : Array((0..<rank).reversed())
      let values = order.map(String.init)
      return "dense<\(MLIRText.dense(values, shape: [rank]))> : tensor<\(rank)xindex>"
    }
    let element = dtype == .f32 ? "s" : "d"
    let operandTypes = operands.map {
      MLIRText.type(shape: $0.shape, element: $0.element.isEmpty ? dtype.rawValue : $0.element)
    }
    let resultTypes = results.map { MLIRText.type(shape: $0.shape, element: $0.element) }
    let aliased = results.count > 1 ? "[0]" : "[]"
    let call =
      "stablehlo.custom_call @lapack_\(element)\(routine)_ffi("
      + operands.map(\.name).joined(separator: ", ") + ") {backend_config = \"\", "
      + "mhlo.backend_config = \(config), "
      + "mhlo.frontend_attributes = {num_batch_dims = \"\(batch)\"}, "
      + "operand_layouts = [\(operands.map { layout($0.shape.count, $0.isMatrix) }.joined(separator: ", "))], "
      + "output_operand_aliases = [#stablehlo.output_operand_alias<output_tuple_indices = "
      + "\(aliased), operand_index = 0, operand_tuple_indices = []>], "
      + "result_layouts = [\(results.map { layout($0.shape.count, $0.isMatrix) }.joined(separator: ", "))]} : "
      + "(\(operandTypes.joined(separator: ", "))) -> "
      + (results.count == 1 ? resultTypes[0] : "(\(resultTypes.joined(separator: ", ")))")
    guard results.count > 1 else { return [emit(call)] }
    let name = freshName()
    append("\(name):\(results.count) = \(call)")
    return results.indices.map { "\(name)#\($0)" }
  }
}
