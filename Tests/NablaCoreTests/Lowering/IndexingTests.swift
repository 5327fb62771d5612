import Testing

@testable import NablaCore

/// NumPy's indexing: `...`, integer arrays, boolean masks and JAX's `.at[…]` updates, on
/// `a = reshape(arange(24), 2, 3, 4)`, whose element `a[i, j, k]` is `12i + 4j + k`.
@Suite struct IndexingTests {
  static let a = "a = reshape(arange(24), 2, 3, 4)\n"

  /// `a[i, j, k]` for the listed index triples.
  static func elements(_ triples: [(Int, Int, Int)]) -> [Double] {
    triples.map { Double(12 * $0.0 + 4 * $0.1 + $0.2) }
  }

  static let cases: [(String, [Int], [Double])] = [
    (
      "a[..., 1]", [2, 3],
      elements([(0, 0, 1), (0, 1, 1), (0, 2, 1), (1, 0, 1), (1, 1, 1), (1, 2, 1)])
    ),
    ("a[1, ..., 3]", [3], elements([(1, 0, 3), (1, 1, 3), (1, 2, 3)])),
    ("a[..., None, 0, 0]", [2, 1], elements([(0, 0, 0), (1, 0, 0)])),
    ("a[[1, 0], 2, 3]", [2], elements([(1, 2, 3), (0, 2, 3)])),
    ("a[0, [0, 2, -1], 1]", [3], elements([(0, 0, 1), (0, 2, 1), (0, 2, 1)])),
    ("a[[0, 1], [1, 2], 0]", [2], elements([(0, 1, 0), (1, 2, 0)])),
    // arrays separated by a slice: their axis leads the result (NumPy's rule)
    ("a[[0, 1], 0, [1, 2]]", [2], elements([(0, 0, 1), (1, 0, 2)])),
    (
      "a[0, :, [1, 2]]", [2, 3],
      elements([(0, 0, 1), (0, 1, 1), (0, 2, 1), (0, 0, 2), (0, 1, 2), (0, 2, 2)])
    ),
    ("a[1, [[0], [2]], [1, 3]]", [2, 2], elements([(1, 0, 1), (1, 0, 3), (1, 2, 1), (1, 2, 3)])),
    ("a[a > 20]", [3], [21, 22, 23]),
    ("a[0][a[0, :, 0] != 4, 0]", [2], [0, 8]),
    ("m = a[1] < 14\na[1][m]", [2], [12, 13]),
    ("a[(a > 2) and (a < 5)]", [2], [3, 4]),
    // a 0-d mask (and True/False) is a new axis of size 1 or 0, as NumPy's
    ("a[0, 0][sum(a) > 0]", [1, 4], [0, 1, 2, 3]),
    ("a[0, 0][sum(a) < 0]", [0, 4], []),
    ("a[0, 0][True]", [1, 4], [0, 1, 2, 3]),
    // steps past the axis's length pick one element, however large
    ("a[0, 0][1::9223372036854775807]", [1], [1]),
    ("a[0, 0][::-9223372036854775808]", [1], [3]),
    ("a[0, 0].at[::9223372036854775807].set(9)", [4], [9, 1, 2, 3]),
    // a mask stays a mask through indexing
    ("m = a[0, 0] > 1\na[1, 0, 1:][m[1:]]", [2], [14, 15]),
    ("a[0, 0].at[1].set(9)", [4], [0, 9, 2, 3]),
    ("a[0, 0].at[[1, 1, 3]].add(10)", [4], [0, 21, 2, 13]),
    ("a[0, 0].at[[1, 1]].mul([2, 3])", [4], [0, 6, 2, 3]),
    ("a[0, 0].at[[2, 2]].set([5, 7])", [4], [0, 1, 7, 3]),
    ("a[0, 0].at[a[0, 0] > 1].set(-1)", [4], [0, 1, -1, -1]),
    ("a[0].at[..., 0].get()", [3], [0, 4, 8]),
    // derivatives: d/dv Σ (x with x[1] = v)² = 2v; the replaced element's derivative is 0
    ("grad((x, v) -> sum(x.at[1].set(v) ^ 2), argnums=(0, 1))([1., 2, 3], 5.)[0]", [3], [2, 0, 6]),
    ("grad((x, v) -> sum(x.at[1].set(v) ^ 2), argnums=1)([1., 2, 3], 5.)", [], [10]),
    ("grad(x -> sum(x[[0, 0, 2]] ^ 2))([1., 2, 3])", [3], [4, 0, 6]),
    ("x = [1., -2, 3]\ngrad(v -> sum(v[x > 0] ^ 2))(x)", [3], [2, 0, 6]),
    (
      "vmap(r -> r[[1, 0]])(a[0, :, :2])", [3, 2],
      elements([(0, 0, 1), (0, 0, 0), (0, 1, 1), (0, 1, 0), (0, 2, 1), (0, 2, 0)])
    ),
  ]

  @Test(arguments: cases.indices) func indexesAsNumPyDoes(_ i: Int) throws {
    let (program, shape, expected) = Self.cases[i]
    let run = Run(Self.a + program, dtype: .f64)
    #expect(run.status == 0, "\(program): \(run.diagnostics)")
    let t = try run.tensor()
    #expect(t.shape == shape, "\(program)")
    #expect(t.doubles == expected, "\(program)")
  }

  @Test(arguments: [
    ("a[..., ..., 0]", "'...' may appear once"),
    ("a[[0, 5]]", "index 5 is out of range for axis 0 of size 2"),
    ("a[[0.5]]", "an index array must hold integers"),
    ("a[[0, 1], [0, 1, 2]]", "do not broadcast"),
    ("grad(x -> sum(x[x > 0]))([1., -1])", "must not depend on its arguments"),
    ("a.at[0]", "is followed by .set(v)"),
    ("a.at[0].put(1)", ".at[…].put"),
    ("a[0, 0].at[0].set([1, 2])", "cannot set a value of"),
    ("a[0, 0, 0, 0, ...]", "too many indices"),
    ("a[0, 0][[1, 2] > 1]", "a boolean mask of shape (2) indexes axes of shape (4)"),
  ]) func refusesWithAMessage(_ program: String, _ message: String) {
    let run = Run(Self.a + program)
    #expect(run.status != 0)
    #expect(run.diagnostics.contains(message), "\(program): \(run.diagnostics)")
  }
}
