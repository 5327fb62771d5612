import Testing

@testable import NablaCore

/// A fused chain of elementwise operations against the same operations applied element by
/// element: short rows (computed several at a time), a row longer than a segment, a padded-free
/// rank-3 walk whose rows cross a leading axis, with contiguous, broadcast and transposed
/// leaves.
@Suite struct FusedProgramTests {
  /// Shape, then each leaf's strides over it: row-major, broadcast along the rows (a bias),
  /// and a transposed read.
  static let cases: [[Int]] = [[64, 33], [1000, 3], [7, 600], [5, 3, 40], [2, 1, 5]]

  @Test(arguments: cases) func shortAndLongRowsMatchALoop(_ shape: [Int]) {
    let rank = shape.count
    let rowMajor = Shape.strides(shape)
    var alongRows = Array(repeating: 0, count: rank)
    alongRows[rank - 1] = 1
    let transposed: [Int] = Shape.strides(shape.reversed()).reversed()
    let strides = [rowMajor, alongRows, transposed]
    let count = shape.reduce(1, *)
    let a: [Float] = (0..<count).map { Float($0 % 97) * 0.25 - 7 }
    let bias: [Float] = (0..<shape[rank - 1]).map { Float($0) * 0.5 + 1 }
    let t: [Float] = (0..<count).map { Float($0 % 89) * 0.125 + 0.5 }
    let leaves = [a, bias, t]
    // ((a + bias) · t − a) / t
    let program = FusedProgram(
      shape: shape, leafStrides: strides,
      instructions: [
        .init(rule: Add(), operands: [.leaf(0), .leaf(1)]),
        .init(rule: Mul(), operands: [.result(0), .leaf(2)]),
        .init(rule: Sub(), operands: [.result(1), .leaf(0)]),
        .init(rule: Div(), operands: [.result(2), .leaf(2)]),
      ])
    var buffer: Tensor?
    let out = program.evaluate(
      leaves.map { Tensor(shape: [$0.count], floats: $0) }, over: &buffer)
    var expected: [Float] = []
    for flat in 0..<count {
      var rest = flat
      var at = [0, 0, 0]
      for axis in shape.indices.reversed() {
        let index = rest % shape[axis]
        rest /= shape[axis]
        for k in 0..<3 { at[k] += index * strides[k][axis] }
      }
      let sum = a[at[0]] + bias[at[1]]
      let product = sum * t[at[2]]
      expected.append((product - a[at[0]]) / t[at[2]])
    }
    #expect(out.shape == shape)
    #expect(out.doubles == expected.map(Double.init), "\(shape)")
  }
}
