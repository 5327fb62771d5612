extension Tensor {
  /// The elements as nested brackets by axis, `[[1, 2], [3, 4]]` (a scalar alone, an empty
  /// axis `[]`), each element written by `element` and siblings joined by `separator`: the
  /// literal form of JSON, of graph constants and of formulas.
  func nestedText(separator: String = ", ", _ element: (Double) -> String) -> String {
    let values = doubles
    func nested(_ axis: Int, _ offset: Int) -> String {
      guard axis < shape.count else { return element(values[offset]) }
      let stride = shape[(axis + 1)...].reduce(1, *)
      let items = (0..<shape[axis]).map { nested(axis + 1, offset + $0 * stride) }
      return "[" + items.joined(separator: separator) + "]"
    }
    return nested(0, 0)
  }
}
