import Testing

@testable import NablaCore

/// The search for a non-finite result's origin, on graphs built by hand.
@Suite struct NonFiniteSearchTests {
  let vector = TensorType(.f32, [2])

  func origin(_ g: Graph, _ inputs: [Tensor], limit: Int = .max) throws -> NonFiniteOrigin? {
    try NonFiniteSearch.origin(of: g, inputs: inputs, memoryLimit: limit, cancellation: nil)
  }

  /// `where(x > 0, log(x), 0) + 1 / y`: the masked `log 0` is never reached; `1 / 0` is.
  @Test func aMaskedValueIsNotBlamed() throws {
    let b = GraphBuilder()
    let x = b.input(vector)
    let y = b.input(vector)
    let zero = try b.zeros(vector)
    let masked = try b.emit(
      .select, [try b.emit(.compare(.gt), [x, zero]), try b.unary(.log, x), zero])
    let g = b.finish(outputs: [try b.add(masked, try b.div(try b.full(1, like: y), y))])
    let found = try #require(
      try origin(g, [Tensor(shape: [2], floats: [0, 1]), Tensor(shape: [2], floats: [2, 0])]))
    #expect(found.origin.equation.primitive == .div)
    #expect(found.origin.index == [1])
    #expect(found.origin.value == .infinity)
    #expect(found.origin.operands == [1, 0])
    #expect(found.nan == nil)
  }

  /// A NaN input carried through is no origin; `exp` of a large finite element is.
  @Test func carriedValuesAreNotBlamed() throws {
    let b = GraphBuilder()
    let x = b.input(vector)
    let g = b.finish(outputs: [try b.unary(.exp, try b.add(x, x))])
    #expect(try origin(g, [Tensor(shape: [2], floats: [.nan, 1])]) == nil)
    let found = try #require(try origin(g, [Tensor(shape: [2], floats: [.nan, 60])]))
    #expect(found.origin.equation.primitive == .exp)
    #expect(found.origin.index == [1])
    #expect(found.origin.operands == [120])
  }

  /// `0 · (1 / x)` at 0: the origin is the division (∞), and the product made the NaN.
  @Test func aNaNMadeFromInfinityIsNamedAfterTheOrigin() throws {
    let b = GraphBuilder()
    let x = b.input(TensorType(.f32, []))
    let g = b.finish(outputs: [
      try b.mul(try b.scalar(0, .f32), try b.div(try b.scalar(1, .f32), x))
    ])
    let found = try #require(try origin(g, [Tensor(scalar: 0, dtype: .f32)]))
    #expect(found.origin.equation.primitive == .div)
    #expect(found.nan?.equation.primitive == .mul)
    #expect(found.nan?.operands == [0, .infinity])
  }

  /// The search runs unfused (every value stored), within the memory limit.
  @Test func theSearchRunsUnfusedWithinTheLimit() throws {
    let b = GraphBuilder()
    let x = b.input(TensorType(.f32, [1000]))
    let g = b.finish(outputs: [try b.unary(.log, try b.unary(.exp, try b.neg(x)))])
    let plan = ExecutionPlan(g, fusing: false)
    #expect(plan.steps.allSatisfy { if case .evaluate = $0 { true } else { false } })
    #expect((plan.peakBytes ?? 0) > (ExecutionPlan(g).peakBytes ?? .max))
    let input = Tensor(repeating: -100, shape: [1000], dtype: .f32)
    #expect(throws: Diagnostic.self) { try origin(g, [input], limit: 8000) }
    #expect(try origin(g, [input])?.origin.equation.primitive == .exp)
  }
}
