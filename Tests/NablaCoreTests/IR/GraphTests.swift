import Testing

@testable import NablaCore

/// The IR: its printed form, the verifier, the builder's CSE and folding, and memory planning.
@Suite struct GraphTests {
  func predictGraph() throws -> Graph {
    let b = GraphBuilder()
    let w = b.input(TensorType(.f32, [3, 3]))
    let bias = b.input(TensorType(.f32, [3, 1]))
    let x = b.input(TensorType(.f32, [3, 1]))
    let wx = try b.emit(.matmul, [w, x])
    let s = try b.emit(.add, [wx, bias])
    return b.finish(outputs: [try b.emit(.tanh, [s])])
  }

  @Test func printsLikeAJaxpr() throws {
    #expect(
      GraphPrinter.print(try predictGraph()) == """
        { lambda a:f32[3,3] b:f32[3,1] c:f32[3,1] .
          let d:f32[3,1] = matmul a c
              e:f32[3,1] = add d b
              f:f32[3,1] = tanh e
          in ( f ) }
        """)
  }

  @Test func verifierAcceptsBuiltGraphs() throws {
    try Verifier.verify(try predictGraph())
  }

  @Test func verifierRejectsUseBeforeDefinition() throws {
    var g = try predictGraph()
    g.equations.swapAt(0, 1)
    #expect(throws: Diagnostic.self) { try Verifier.verify(g) }
  }

  @Test func verifierRejectsWrongRecordedType() throws {
    var g = try predictGraph()
    g.types[g.equations[2].output.id] = TensorType(.f64, [3, 1])
    #expect(throws: Diagnostic.self) { try Verifier.verify(g) }
  }

  @Test func verifierRejectsDoubleDefinition() throws {
    var g = try predictGraph()
    g.equations[1].output = g.equations[0].output
    #expect(throws: Diagnostic.self) { try Verifier.verify(g) }
  }

  @Test func builderSharesRepeatedEquationsAndFoldsConstants() throws {
    let b = GraphBuilder()
    let x = b.input(TensorType(.f32, [2]))
    let s1 = try b.emit(.sin, [x])
    let s2 = try b.emit(.sin, [x])
    #expect(s1 == s2)
    let c = try b.constant(Tensor(shape: [2], floats: [1, 2]))
    let folded = try b.emit(.exp, [c])
    #expect(b.constantValue(folded) != nil)
    let g = b.finish(outputs: [s1])
    #expect(g.equations.count == 1)
    #expect(g.constants.isEmpty)
  }

  @Test func peakMemoryCountsOnlyLiveValues() throws {
    let b = GraphBuilder()
    let x = b.input(TensorType(.f32, [1000]))
    var v = x
    for _ in 0..<10 { v = try b.emit(.sin, [v]) }
    let g = b.finish(outputs: [v])
    // the input plus at most two intermediates of 4000 bytes are alive at once
    #expect(Interpreter.peakBytes(g) == 12_000)
  }
}
