import Testing

@testable import NablaCore

/// The elementwise kernels over strided (broadcast) operands, float32, against a loop that
/// indexes every element: contiguous, broadcast-along-the-row and general strides, with row
/// lengths that leave every size of partial vector, and long rows (a scalar head up to an
/// aligned store) starting at every offset within a vector.
@Suite struct StridedKernelTests {
  static let cases: [(shape: [Int], x: [Int], y: [Int])] = [
    ([3, 31], [31, 1], [1, 0]),  // row times a scalar per row
    ([4, 5, 9], [0, 9, 1], [5, 1, 0]),  // both broadcast
    ([2, 17], [17, 1], [17, 1]),  // both contiguous
    ([6, 7], [1, 6], [0, 1]),  // a transposed read
    ([64], [0], [1]),
    ([9, 101], [101, 1], [1, 0]),  // long rows starting anywhere, times a scalar per row
    ([3, 2, 77], [1, 0, 0], [154, 77, 1]),  // a scalar per row times long rows
    ([5, 70], [0, 1], [70, 1]),  // a broadcast row and long contiguous rows
  ]

  @Test(arguments: cases.indices) func binaryKernelsMatchALoop(_ k: Int) {
    let (shape, xs, ys) = Self.cases[k]
    func size(_ strides: [Int]) -> Int {
      zip(shape, strides).reduce(1) { $0 + ($1.0 - 1) * $1.1 }
    }
    let a = (0..<size(xs)).map { Float($0) * 0.37 - 5 }
    let b = (0..<size(ys)).map { Float($0) * 0.21 + 0.5 }
    let rules: [any ElementwiseBinaryRule] = [Add(), Sub(), Mul(), Div()]
    for rule in rules {
      let out = rule.evaluate(
        [
          StridedView(tensor: Tensor(shape: [a.count], floats: a), strides: xs),
          StridedView(tensor: Tensor(shape: [b.count], floats: b), strides: ys),
        ], shape: shape)
      var expected: [Float] = []
      let count = shape.reduce(1, *)
      for flat in 0..<count {
        var rest = flat
        var (i, j) = (0, 0)
        for axis in shape.indices.reversed() {
          let index = rest % shape[axis]
          rest /= shape[axis]
          i += index * xs[axis]
          j += index * ys[axis]
        }
        expected.append(rule.apply(a[i], b[j]))
      }
      #expect(out.shape == shape)
      #expect(out.doubles == expected.map(Double.init), "\(type(of: rule)) on \(shape)")
    }
  }
}
