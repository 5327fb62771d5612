import Testing

@testable import NablaCore

/// Equations a derivative rule emits point at the user's operation they differentiate: its
/// source range, its primitive, the order of the derivative, and whether they compute the
/// derivative itself or the chain rule (values linear in the tangents).
@Suite struct ProvenanceTests {
  let file = SourceFile(name: "<test>", text: "sqrt(x)")
  var range: SourceRange { SourceRange(file: file, start: 0, end: 7) }

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
    let j = try JVP.transform(try sqrtGraph(), hasTangent: [true])
    #expect(
      described(j) == [
        "sqrt: user", "broadcast: derivative of sqrt, order 1", "div: derivative of sqrt, order 1",
        "mul: chain rule of sqrt, order 1",
      ])
  }

  @Test func transposedEquationsBelongToTheSameChainRule() throws {
    let v = try VJP.transform(try sqrtGraph(), wrt: [true])
    #expect(
      described(v) == [
        "sqrt: user", "broadcast: derivative of sqrt, order 1", "div: derivative of sqrt, order 1",
        "mul: chain rule of sqrt, order 1",
      ])
  }

  @Test func aDerivativeOfADerivativeIsOfHigherOrder() throws {
    let v = try VJP.transform(try sqrtGraph(), wrt: [true], hasCotangent: [true])
    let j = try JVP.transform(v, hasTangent: [true, false])
    let orders = Set(j.equations.compactMap { $0.provenance.derivation?.order })
    #expect(orders == [1, 2])
    #expect(j.equations.allSatisfy { $0.source == range })
  }

  @Test func batchingAndRewritingKeepProvenance() throws {
    let j = try JVP.transform(try sqrtGraph(), hasTangent: [true])
    let batched = try Batching.transform(j, batched: [true, true], size: 2)
    #expect(batched.equations.allSatisfy { $0.source == range })
    let simplified = try Simplifier.simplify(batched)
    #expect(simplified.equations.allSatisfy { $0.source == range })
    #expect(described(simplified).contains("mul: chain rule of sqrt, order 1"))
  }
}
