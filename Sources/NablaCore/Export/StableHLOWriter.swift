/// The body of the exported `main` function being written: one line per operation, each
/// result a fresh SSA name.
struct StableHLOWriter {
  private(set) var lines: [String] = []
  private var count = 0

  /// A name no other value of the function has.
  mutating func freshName() -> String {
    defer { count += 1 }
    return "%t\(count)"
  }

  /// Writes `%name = operation` and returns the name.
  mutating func emit(_ operation: String) -> String {
    let name = freshName()
    lines.append("\(name) = \(operation)")
    return name
  }

  /// Writes a line that binds no value (the inside of a region).
  mutating func append(_ line: String) {
    lines.append(line)
  }

  /// A constant tensor, written in full (``MLIRText/dense(_:shape:)``).
  mutating func constant(_ t: Tensor) -> String {
    let elements = t.doubles.map { MLIRText.element($0, t.dtype) }
    return emit(
      "stablehlo.constant dense<\(MLIRText.dense(elements, shape: t.shape))> : "
        + MLIRText.type(t.type))
  }

  /// A constant whose every element is `value`.
  mutating func splat(_ value: Double, _ type: TensorType) -> String {
    emit(
      "stablehlo.constant dense<\(MLIRText.element(value, type.dtype))> : \(MLIRText.type(type))")
  }

  /// A constant tensor of 64-bit integers (gather and scatter indices).
  mutating func indices(_ values: [Int], shape: [Int]) -> String {
    let elements = values.map(String.init)
    return emit(
      "stablehlo.constant dense<\(MLIRText.dense(elements, shape: shape))> : "
        + MLIRText.type(shape: shape, element: "i64"))
  }
}
