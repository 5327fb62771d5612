import Testing

@testable import NablaCore

/// `pad` against its definition, element by element: output element `low + i·(interior + 1)`
/// along each axis holds operand element `i`, every other element is 0.
@Suite struct PadTests {
  static let cases: [([Int], [Int], [Int], [Int])] = [
    ([2, 3, 4], [0, 0, 1], [0, 0, 0], [0, 0, 0]),
    ([2, 3, 4], [1, 0, 2], [0, 2, 1], [0, 0, 0]),
    ([2, 3, 4], [0, 1, 0], [1, 0, 0], [1, 0, 2]),
    ([3, 1, 5], [2, 0, 0], [0, 3, 0], [0, 0, 1]),
    ([1, 1, 1], [0, 0, 0], [0, 0, 0], [0, 0, 0]),
    ([2, 0, 3], [1, 1, 1], [1, 1, 1], [0, 0, 0]),
  ]

  @Test(arguments: cases)
  func padPlacesEveryElementAndZerosTheRest(
    _ shape: [Int], _ low: [Int], _ high: [Int], _ interior: [Int]
  ) {
    let count = shape.reduce(1, *)
    let x = Tensor(shape: shape, doubles: (0..<count).map { Double($0 + 1) })
    let y = Pad(low: low, high: high, interior: interior).evaluate([x])
    var outShape: [Int] = []
    for a in 0..<3 {
      let between: Int = max(0, shape[a] - 1) * interior[a]
      outShape.append(low[a] + high[a] + shape[a] + between)
    }
    #expect(y.shape == outShape)
    var expected = [Double](repeating: 0, count: outShape.reduce(1, *))
    for (n, value) in x.doubles.enumerated() {
      let index = [n / (shape[1] * shape[2]), n / shape[2] % shape[1], n % shape[2]]
      var offset = 0
      for a in 0..<3 {
        let position: Int = low[a] + index[a] * (interior[a] + 1)
        offset = offset * outShape[a] + position
      }
      expected[offset] = value
    }
    #expect(y.doubles == expected)
  }
}
