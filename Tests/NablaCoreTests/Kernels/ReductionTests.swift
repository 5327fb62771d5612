import Foundation
import Testing

@testable import NablaCore

/// The reduction kernel: trailing runs (short, and long enough to be reduced in chunks),
/// leading columns and other axis sets, against a float64 loop over the same elements, with
/// NaN anywhere in a run (a vector lane or the tail) propagating through `max` and `min`.
@Suite struct ReductionTests {
  /// Shapes and axes: trailing, leading, middle; runs of every length modulo 8, and one over
  /// twice the chunk (32768 elements) so it is split.
  static let cases: [(shape: [Int], axes: [Int])] = [
    ([3, 13], [1]), ([5, 8], [1]), ([2, 7], [0]), ([3, 4, 5], [1]), ([4, 3, 6], [1, 2]),
    ([70_001], [0]), ([2, 70_001], [1]), ([1], [0]),
  ]

  func reference(_ x: [Double], _ shape: [Int], _ axes: [Int], _ kind: ReductionKind) -> [Double] {
    let kept = shape.indices.filter { !axes.contains($0) }
    let outShape = kept.map { shape[$0] }
    var out = [Double](repeating: kind.identity, count: outShape.reduce(1, *))
    let strides = Shape.strides(outShape)
    for flat in 0..<x.count {
      var rest = flat
      var index = [Int](repeating: 0, count: shape.count)
      for axis in shape.indices.reversed() {
        index[axis] = rest % shape[axis]
        rest /= shape[axis]
      }
      let o = zip(kept.map { index[$0] }, strides).reduce(0) { $0 + $1.0 * $1.1 }
      out[o] = kind.combine(out[o], x[flat])
    }
    return out
  }

  @Test(arguments: cases.indices) func reductionsMatchAFloat64Loop(_ k: Int) {
    let (shape, axes) = Self.cases[k]
    let count = shape.reduce(1, *)
    // values near 1 so a product of 70 001 of them stays finite
    let values = (0..<count).map { Float(1 + 0.001 * sin(Double($0) * 0.7)) }
    let x = Tensor(shape: shape, floats: values)
    for kind in [ReductionKind.sum, .prod, .max, .min] {
      let got = reduce(x, axes: axes, kind: kind).doubles
      let expected = reference(values.map(Double.init), shape, axes, kind)
      #expect(got.count == expected.count)
      for (g, e) in zip(got, expected) {
        // float32 results of float64 accumulations: within a float32 rounding of each other
        #expect(abs(g - e) <= 1e-6 * max(1, abs(e)), "\(kind) over \(axes) of \(shape)")
      }
    }
  }

  @Test(arguments: [0, 5, 8, 13, 70_000]) func nanPropagatesThroughMaxAndMin(_ position: Int) {
    var values = [Float](repeating: 2, count: 70_001)
    values[position] = .nan
    let x = Tensor(shape: [values.count], floats: values)
    #expect(reduce(x, axes: [0], kind: .max).doubles[0].isNaN)
    #expect(reduce(x, axes: [0], kind: .min).doubles[0].isNaN)
    #expect(reduce(x, axes: [0], kind: .sum).doubles[0].isNaN)
  }
}
