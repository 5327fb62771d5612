import Testing

@testable import NablaCore

/// A fused chain of elementwise operations against the same operations applied element by
/// element, over short rows (computed several at a time, the last item possibly a single row,
/// rows crossing a leading axis inside one item, a program large enough to be shared out to
/// the worker pool) and rows longer than a segment; with contiguous, broadcast, transposed and
/// one-per-row leaves, and with the first leaf read from the buffer the result overwrites.
@Suite struct FusedProgramTests {
  /// The shapes the program runs over; each leaf's strides are derived from the shape.
  static let cases: [[Int]] = [
    [64, 33], [1000, 3], [301, 40], [7, 600], [5, 3, 40], [2, 1, 5],
  ]

  @Test(arguments: cases) func shortAndLongRowsMatchALoop(_ shape: [Int]) {
    let rank = shape.count
    let rowMajor = Shape.strides(shape)
    var alongRows = Array(repeating: 0, count: rank)
    alongRows[rank - 1] = 1
    let transposed: [Int] = Shape.strides(shape.reversed()).reversed()
    let perRow = Shape.strides(Array(shape.dropLast())) + [0]
    let strides = [rowMajor, alongRows, transposed, perRow]
    let count = shape.reduce(1, *)
    let a: [Float] = (0..<count).map { Float($0 % 97) * 0.25 - 7 }
    let bias: [Float] = (0..<shape[rank - 1]).map { Float($0) * 0.5 + 1 }
    let t: [Float] = (0..<count).map { Float($0 % 89) * 0.125 + 0.5 }
    let scale: [Float] = (0..<(count / shape[rank - 1])).map { Float($0 % 7) - 3 }
    // ((a + bias) · t − a) / t · scale
    let program = FusedProgram(
      shape: shape, leafStrides: strides,
      instructions: [
        .init(rule: Add(), operands: [.leaf(0), .leaf(1)]),
        .init(rule: Mul(), operands: [.result(0), .leaf(2)]),
        .init(rule: Sub(), operands: [.result(1), .leaf(0)]),
        .init(rule: Div(), operands: [.result(2), .leaf(2)]),
        .init(rule: Mul(), operands: [.result(3), .leaf(3)]),
      ])
    var expected: [Float] = []
    for flat in 0..<count {
      var rest = flat
      var at = [0, 0, 0, 0]
      for axis in shape.indices.reversed() {
        let index = rest % shape[axis]
        rest /= shape[axis]
        for k in 0..<4 { at[k] += index * strides[k][axis] }
      }
      let sum = a[at[0]] + bias[at[1]]
      let product = sum * t[at[2]]
      expected.append((product - a[at[0]]) / t[at[2]] * scale[at[3]])
    }
    let tensors = [a, bias, t, scale].map { Tensor(shape: [$0.count], floats: $0) }
    var none: Tensor?
    let out = program.evaluate(tensors, over: &none)
    #expect(out.shape == shape)
    #expect(out.doubles == expected.map(Double.init), "\(shape)")
    var reused: Tensor? = tensors[0]
    let overwritten = program.evaluate([nil] + tensors.dropFirst().map { $0 }, over: &reused)
    #expect(overwritten.doubles == expected.map(Double.init), "\(shape), over the first leaf")
  }
}
