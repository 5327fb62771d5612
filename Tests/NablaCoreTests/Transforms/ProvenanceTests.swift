import Testing

@testable import NablaCore

/// Under `--check-nans`, equations a derivative rule emits point at the user's operation they
/// differentiate: its source range, its primitive, the order of the derivative, and whether
/// they compute the derivative itself or the chain rule (values linear in the tangents).
@Suite struct ProvenanceTests {
  let file = SourceFile(name: "<test>", text: "sqrt(x)")
  var range: SourceRange { SourceRange(file: file, start: 0, end: 7) }
  let checking = GraphBuilder.Options(checksNonFinite: true)

  /// `sqrt(x)` on f32[3], emitted at ``range``.
  func sqrtGraph() throws -> Graph {
    let b = GraphBuilder()
    let x = b.input(TensorType(.f32, [3]))
    return b.finish(outputs: [try b.emit(.sqrt, [x], source: range)])
  }

  /// Each equation as `primitive: where it comes from`.
  func described(_ g: Graph) -> [String] {
    g.equations.map { eq in
      let place = eq.source == range ? "" : " elsewhere"
      guard let d = eq.provenance.derivation else {
        return "\(eq.primitive.kind.rawValue):\(place) user"
      }
      let part = d.part == .derivative ? "derivative" : "chain rule"
      return
        "\(eq.primitive.kind.rawValue):\(place) \(part) of \(d.primitive.rawValue), order \(d.order)"
    }
  }

  @Test func jvpEquationsPointAtTheOperationTheyDifferentiate() throws {
    let j = try JVP.transform(try sqrtGraph(), hasTangent: [true], options: checking)
    #expect(
      described(j) == [
        "sqrt: user", "broadcast: derivative of sqrt, order 1", "div: derivative of sqrt, order 1",
        "mul: chain rule of sqrt, order 1",
      ])
  }

  @Test func transposedEquationsBelongToTheSameChainRule() throws {
    let v = try VJP.transform(try sqrtGraph(), wrt: [true], options: checking)
    #expect(
      described(v) == [
        "sqrt: user", "broadcast: derivative of sqrt, order 1", "div: derivative of sqrt, order 1",
        "mul: chain rule of sqrt, order 1",
      ])
  }

  @Test func aDerivativeOfADerivativeIsOfHigherOrder() throws {
    let v = try VJP.transform(try sqrtGraph(), wrt: [true], hasCotangent: [true], options: checking)
    let j = try JVP.transform(v, hasTangent: [true, false], options: checking)
    let orders = Set(j.equations.compactMap { $0.provenance.derivation?.order })
    #expect(orders == [1, 2])
    #expect(j.equations.allSatisfy { $0.source == range })
  }

  @Test func batchingAndRewritingKeepProvenance() throws {
    let j = try JVP.transform(try sqrtGraph(), hasTangent: [true], options: checking)
    let batched = try Batching.transform(j, batched: [true, true], size: 2, options: checking)
    #expect(batched.equations.allSatisfy { $0.source == range })
    let simplified = try Simplifier.simplify(batched, options: checking)
    #expect(simplified.equations.allSatisfy { $0.source == range })
    #expect(described(simplified).contains("mul: chain rule of sqrt, order 1"))
  }

  /// Without the check, a rule's equations have no provenance of their own (building costs
  /// what it did).
  @Test func withoutTheCheckRulesEmitWithoutProvenance() throws {
    let j = try JVP.transform(try sqrtGraph(), hasTangent: [true])
    #expect(
      described(j) == [
        "sqrt: user", "broadcast: elsewhere user", "div: elsewhere user", "mul: elsewhere user",
      ])
  }

  /// The simplifier keeps each equation's span with or without the check (a runtime error,
  /// such as a singular `inv`, is marked there).
  @Test func theSimplifierKeepsSpansWithoutTheCheck() throws {
    let simplified = try Simplifier.simplify(try sqrtGraph())
    #expect(simplified.equations.map(\.source) == [range])
  }
}
