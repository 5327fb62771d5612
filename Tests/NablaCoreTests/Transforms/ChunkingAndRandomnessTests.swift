import Testing

@testable import NablaCore

/// torch.func's knobs: `chunk_size` evaluates a Jacobian or `vmap` in slices with the same
/// result; `randomness` says what random numbers drawn inside a `vmap` are.
@Suite struct ChunkingAndRandomnessTests {
  func values(_ program: String) throws -> [Double] {
    try Run(program, dtype: .f64).tensor().doubles
  }

  @Test(arguments: [1, 3, 4, 9, 10, 50]) func chunkingGivesTheSameResult(_ chunk: Int) throws {
    let prelude = "seed(0); x = randn(10); X = randn(7, 10)\n"
    for (chunked, whole) in [
      (
        "jacrev(x -> tanh(outer(x, x)), chunk_size=\(chunk))(x)",
        "jacrev(x -> tanh(outer(x, x)))(x)"
      ),
      ("jacfwd(x -> sin(x) * sum(x), chunk_size=\(chunk))(x)", "jacfwd(x -> sin(x) * sum(x))(x)"),
      ("vmap(x -> sum(x^2), chunk_size=\(chunk))(X)", "vmap(x -> sum(x^2))(X)"),
      (
        "vmap(jacrev(x -> exp(x) * x[0]), chunk_size=\(chunk))(X)",
        "vmap(jacrev(x -> exp(x) * x[0]))(X)"
      ),
    ] {
      #expect(try values(prelude + chunked) == values(prelude + whole), "\(chunked)")
    }
  }

  @Test(arguments: ["0", "-1", "2.5", "\"4\""]) func invalidChunkSizesAreErrors(_ size: String) {
    for transform in ["jacrev(sin, chunk_size=\(size))", "vmap(sin, chunk_size=\(size))"] {
      let run = Run(transform)
      #expect(run.status == 1, "\(transform)")
      #expect(run.diagnostic?.range != nil, "\(transform): \(run.diagnostics)")
    }
  }

  /// The default `"error"` refuses random numbers inside the mapped function; `"same"` draws
  /// once for every item; `"different"` draws the items' numbers in one call, as PyTorch
  /// does, so they are `randn(3, 2)`'s.
  @Test func randomnessFollowsTorchFunc() throws {
    let f = "x -> x + randn(2)"
    let error = Run("seed(0); vmap(\(f))(zeros(3, 2))")
    #expect(error.diagnostics.contains("randomness is \"error\""), "\(error.diagnostics)")
    let once = try values("seed(0); randn(2)")
    let same = try values("seed(0); vmap(\(f), randomness=\"same\")(zeros(3, 2))")
    #expect(same == once + once + once)
    let batch = try values("seed(0); randn(3, 2)")
    #expect(try values("seed(0); vmap(\(f), randomness=\"different\")(zeros(3, 2))") == batch)
    // in slices too, each slice its own items' numbers
    #expect(
      try values("seed(0); vmap(\(f), randomness=\"different\", chunk_size=2)(zeros(3, 2))")
        == batch)
    #expect(Run("vmap(sin, randomness=\"maybe\")").status == 1)
    let nested = Run(
      "seed(0); vmap(x -> grad(y -> sum(y * randn(2)))(x), randomness=\"different\")(ones(3, 2))")
    #expect(nested.diagnostics.contains("not supported"), "\(nested.diagnostics)")
  }
}
