import Foundation
import Testing

@testable import NablaCore

/// The IR: its printed form, the verifier, the builder's CSE and folding, and memory planning.
@Suite struct GraphTests {
  func predictGraph() throws -> Graph {
    let b = GraphBuilder()
    let w = b.input(TensorType(.f32, [3, 3]))
    let bias = b.input(TensorType(.f32, [3, 1]))
    let x = b.input(TensorType(.f32, [3, 1]))
    let wx = try b.matmul(w, x)
    let s = try b.emit(.add, [wx, bias])
    return b.finish(outputs: [try b.emit(.tanh, [s])])
  }

  @Test func printsLikeAJaxpr() throws {
    #expect(
      GraphPrinter.print(try predictGraph()) == """
        { lambda a:f32[3,3] b:f32[3,1] c:f32[3,1] .
          let d:f32[3,1] = dot_general[batch=()x() contract=(1)x(0)] a c
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

  @Test func builderSharesRepeatedEquationsAndFoldsConstantsOnlyWithAFolder() throws {
    let b = GraphBuilder()
    let x = b.input(TensorType(.f32, [2]))
    let s1 = try b.emit(.sin, [x])
    let s2 = try b.emit(.sin, [x])
    #expect(s1 == s2)
    let c = try b.constant(Tensor(shape: [2], floats: [1, 2]))
    #expect(b.constantValue(try b.emit(.exp, [c])) == nil)
    let g = b.finish(outputs: [s1])
    #expect(g.equations.count == 1)
    #expect(g.constants.isEmpty)

    let folding = GraphBuilder(
      .init(folding: ConstantFolder(memoryLimit: 1 << 20, cancellation: nil)))
    let c2 = try folding.constant(Tensor(shape: [2], floats: [1, 2]))
    #expect(folding.constantValue(try folding.emit(.neg, [c2]))?.doubles == [-1, -2])
    // a scalar broadcast into a large tensor stays one number until the interpreter expands it
    let one = try folding.scalar(1, .f32)
    #expect(
      folding.constantValue(try folding.emit(.broadcast(shape: [100, 100], dims: []), [one])) == nil
    )
  }

  /// A walk reports reading a value it never bound as an internal error.
  @Test func graphWalkRefusesUnboundValues() throws {
    let g = try predictGraph()
    let b = GraphBuilder()
    var walk = try GraphWalk(g, into: b, inputs: g.inputs.map { _ in nil })
    #expect(throws: Diagnostic.self) {
      try walk.reemit { eq, inputs throws(Diagnostic) in try b.emit(eq.primitive, inputs) }
    }
  }

  @Test func peakMemoryCountsOnlyLiveValues() throws {
    let b = GraphBuilder()
    let x = b.input(TensorType(.f32, [1000]))
    var v = x
    for _ in 0..<10 { v = try b.emit(.reverse(axes: [0]), [v]) }
    let g = b.finish(outputs: [v])
    // the input plus at most two intermediates of 4000 bytes are alive at once
    #expect(Interpreter.peakBytes(g) == 12_000)
  }

  /// A fused chain writes its result over a value it reads that dies there: the plan needs
  /// no buffer for the result, and the values are those of the unfused operations.
  @Test func fusedChainsReuseTheBufferOfAValueThatDies() throws {
    let b = GraphBuilder()
    let x = b.input(TensorType(.f32, [1000]))
    let reversed = try b.emit(.reverse(axes: [0]), [x])  // computed, then read only by the chain
    let chain = try b.emit(.mul, [try b.emit(.sin, [reversed]), try b.emit(.exp, [reversed])])
    let g = b.finish(outputs: [try b.emit(.neg, [chain])])
    #expect(Interpreter.peakBytes(g) == 8000)  // x and the reversed copy the result takes over
    let xs = (0..<1000).map { Float($0) / 300 - 1.7 }
    let out = try Interpreter().run(g, inputs: [Tensor(shape: [1000], floats: xs)])[0]
    let reversedXs = Tensor(shape: [1000], floats: xs.reversed())
    let unfused = Primitive.neg.rule.evaluate([
      Primitive.mul.rule.evaluate([
        Primitive.sin.rule.evaluate([reversedXs]), Primitive.exp.rule.evaluate([reversedXs]),
      ])
    ])
    #expect(out.doubles == unfused.doubles)
  }

  /// A chain of elementwise operations whose intermediates are read once runs as one loop:
  /// only its input and its result take memory, and it computes what the operations do.
  @Test func elementwiseChainsRunAsOneLoopWithTheSameValues() throws {
    let b = GraphBuilder()
    let x = b.input(TensorType(.f64, [3, 700]))
    let y = b.input(TensorType(.f64, [700]))
    var v = x
    for _ in 0..<4 { v = try b.emit(.sin, [v]) }
    let wide = try b.emit(.broadcast(shape: [3, 700], dims: [1]), [y])
    v = try b.emit(.mul, [try b.emit(.tanh, [v]), wide])
    let g = b.finish(outputs: [try b.emit(.add, [v, x])])
    #expect(Interpreter.peakBytes(g) == (2100 + 700 + 2100) * 8)
    let xs = (0..<2100).map { Double($0) / 700 - 1.5 }
    let ys = (0..<700).map { 0.01 * Double($0) - 3 }
    let out = try Interpreter().run(
      g, inputs: [Tensor(shape: [3, 700], doubles: xs), Tensor(shape: [700], doubles: ys)])[0]
    let expected = xs.indices.map { i in
      Foundation.tanh(Foundation.sin(Foundation.sin(Foundation.sin(Foundation.sin(xs[i])))))
        * ys[i % 700] + xs[i]
    }
    #expect(out.doubles == expected)
  }

  /// A reduction over the trailing axes of an elementwise chain takes its values as they are
  /// computed: `Σⱼₖ sin(x[i, j, k]) · y[k]` (and its max and min) needs no memory beyond its
  /// inputs and result, for runs shorter than a segment, spanning many, and long enough to be
  /// split into blocks; `max` and `min` propagate a NaN from anywhere in a run.
  @Test(arguments: [[3, 4, 5], [2, 3, 700], [2, 150, 300]])
  func reductionsOfChainsNeverStoreTheChain(_ shape: [Int]) throws {
    let count = shape.reduce(1, *)
    let run = count / shape[0]
    let xs = (0..<count).map { Foundation.cos(Double($0)) * 2 }
    let ys = (0..<shape[2]).map { 0.5 + Double($0 % 7) }
    let primitives: [(Primitive, ([Double]) -> Double)] = [
      (.reduceSum(axes: [1, 2]), { $0.reduce(0, +) }),
      (.reduceMax(axes: [1, 2]), { $0.max() ?? 0 }),
      (.reduceMin(axes: [1, 2]), { $0.min() ?? 0 }),
    ]
    for (reduction, reference) in primitives {
      let b = GraphBuilder()
      let x = b.input(TensorType(.f64, shape))
      let y = b.input(TensorType(.f64, [shape[2]]))
      let wide = try b.emit(.broadcast(shape: shape, dims: [2]), [y])
      let chain = try b.emit(.mul, [try b.emit(.sin, [x]), wide])
      let g = b.finish(outputs: [try b.emit(reduction, [chain])])
      #expect(Interpreter.peakBytes(g) == (count + shape[2] + shape[0]) * 8)
      func evaluate(_ xs: [Double]) throws -> [Double] {
        try Interpreter().run(
          g, inputs: [Tensor(shape: shape, doubles: xs), Tensor(shape: [shape[2]], doubles: ys)]
        )[0].doubles
      }
      let values = xs.indices.map { Foundation.sin(xs[$0]) * ys[$0 % shape[2]] }
      for (i, got) in try evaluate(xs).enumerated() {
        let expected = reference(Array(values[(i * run)..<((i + 1) * run)]))
        #expect(abs(got - expected) <= 1e-12 * Double(run), "\(reduction) row \(i)")
      }
      if case .reduceSum = reduction { continue }
      var withNaN = xs
      withNaN[count - run / 2] = .nan  // in the last row
      let out = try evaluate(withNaN)
      #expect(out.last?.isNaN == true && out.first?.isNaN == false, "\(reduction)")
    }
  }

  /// `x[:, None, :] .* y[:, :, None]`: both broadcasts are read in place by the product (no
  /// 4 × 5 × 6 intermediates), with the values of materialising them.
  @Test func broadcastsFuseIntoTheirElementwiseReader() throws {
    let b = GraphBuilder()
    let x = b.input(TensorType(.f64, [4, 6]))
    let y = b.input(TensorType(.f64, [4, 5]))
    let u = try b.emit(.broadcast(shape: [4, 5, 6], dims: [0, 2]), [x])
    let v = try b.emit(.broadcast(shape: [4, 5, 6], dims: [0, 1]), [y])
    let g = b.finish(outputs: [try b.emit(.atan2, [u, v])])
    #expect(Interpreter.peakBytes(g) == (24 + 20 + 120) * 8)
    let xs = (0..<24).map { Double($0) - 11.5 }
    let ys = (0..<20).map { 0.5 * Double($0) - 4 }
    let out = try Interpreter().run(
      g, inputs: [Tensor(shape: [4, 6], doubles: xs), Tensor(shape: [4, 5], doubles: ys)])[0]
    var expected: [Double] = []
    for i in 0..<4 {
      for j in 0..<5 { for k in 0..<6 { expected.append(atan2(xs[i * 6 + k], ys[i * 5 + j])) } }
    }
    #expect(out.shape == [4, 5, 6])
    #expect(out.doubles == expected)
  }

  /// Slices and broadcasts read only by elementwise operations (directly, or through other
  /// slices and broadcasts, each read several times) are views: never computed, they take no
  /// memory, and the values are those of the operations run one by one.
  @Test(arguments: [
    ([0, 0], [3, 8], [1, 1]), ([1, 2], [4, 9], [1, 1]), ([0, 1], [4, 9], [2, 3]),
    ([3, 0], [4, 9], [1, 2]),
  ])
  func slicesAndBroadcastsAreReadInPlace(_ start: [Int], _ limit: [Int], _ step: [Int]) throws {
    let b = GraphBuilder()
    let x = b.input(TensorType(.f64, [4, 9]))
    let y = b.input(TensorType(.f64, [9]))
    let part = try b.emit(.slice(start: start, limit: limit, stride: step), [x])
    let shape = b.type(of: part).shape
    let wide = try b.emit(.broadcast(shape: [2] + shape, dims: [1, 2]), [part])
    let row = try b.emit(.slice(start: [start[1]], limit: [limit[1]], stride: [step[1]]), [y])
    let rows = try b.emit(.broadcast(shape: [2] + shape, dims: [2]), [row])
    let a = try b.emit(.mul, [try b.emit(.sin, [wide]), rows])
    let c = try b.emit(.add, [try b.emit(.exp, [rows]), wide])
    let g = b.finish(outputs: [try b.emit(.sub, [a, c]), try b.emit(.neg, [part])])
    let plan = ExecutionPlan(g)
    for (eq, step) in zip(g.equations, plan.steps) where ExecutionPlan.readsInPlace(eq.primitive) {
      #expect(ExecutionPlan.isFusedAway(step), "\(eq.primitive) is computed")
    }
    #expect((plan.peakBytes ?? .max) < (ExecutionPlan(g, fusing: false).peakBytes ?? 0))
    let inputs = [
      Tensor(shape: [4, 9], doubles: (0..<36).map { Double($0) / 7 - 2 }),
      Tensor(shape: [9], doubles: (0..<9).map { 0.3 * Double($0) - 1 }),
    ]
    let fused = try Interpreter().run(plan, inputs: inputs)
    let unfused = try Interpreter().run(ExecutionPlan(g, fusing: false), inputs: inputs)
    #expect(fused.map(\.shape) == unfused.map(\.shape))
    #expect(fused.map(\.doubles) == unfused.map(\.doubles))
  }

  /// Pads read only by elementwise operations are views too: zeros outside the operand's
  /// place, its elements inside, never stored.
  @Test(arguments: [([1, 0], [0, 2]), ([0, 3], [2, 0]), ([2, 1], [1, 1]), ([0, 0], [0, 1])])
  func padsAreReadInPlace(_ low: [Int], _ high: [Int]) throws {
    let b = GraphBuilder()
    let x = b.input(TensorType(.f64, [3, 5]))
    let yShape = [3 + low[0] + high[0], 5 + low[1] + high[1]]
    let y = b.input(TensorType(.f64, yShape))
    let padded = try b.emit(.pad(low: low, high: high, interior: [0, 0]), [try b.emit(.exp, [x])])
    let wide = try b.emit(.pad(low: low, high: high, interior: [0, 0]), [x])
    let g = b.finish(outputs: [
      try b.emit(.add, [try b.emit(.mul, [padded, y]), wide]), try b.emit(.sin, [wide]),
    ])
    let plan = ExecutionPlan(g)
    for (eq, step) in zip(g.equations, plan.steps) where ExecutionPlan.readsInPlace(eq.primitive) {
      #expect(ExecutionPlan.isFusedAway(step), "\(eq.primitive) is computed")
    }
    let inputs = [
      Tensor(shape: [3, 5], doubles: (0..<15).map { Double($0) / 4 - 1 }),
      Tensor(shape: yShape, doubles: (0..<yShape.reduce(1, *)).map { 0.1 * Double($0) }),
    ]
    let fused = try Interpreter().run(plan, inputs: inputs)
    let unfused = try Interpreter().run(ExecutionPlan(g, fusing: false), inputs: inputs)
    #expect(fused.map(\.doubles) == unfused.map(\.doubles))
  }

  /// A pad read by slices (the halves of a concatenation's transpose) is stored: a view with
  /// bounds is not read through other views, so the slices need the pad's values.
  @Test func aPadReadBySlicesIsComputed() throws {
    let b = GraphBuilder()
    let x = b.input(TensorType(.f64, [4, 3]))
    let wide = try b.emit(.pad(low: [0, 0], high: [0, 5], interior: [0, 0]), [x])
    let left = try b.emit(.slice(start: [0, 0], limit: [4, 4], stride: [1, 1]), [wide])
    let right = try b.emit(.slice(start: [0, 4], limit: [4, 8], stride: [1, 1]), [wide])
    let g = b.finish(outputs: [try b.emit(.mul, [try b.emit(.exp, [left]), right])])
    let input = Tensor(shape: [4, 3], doubles: (0..<12).map { Double($0) / 5 })
    let fused = try Interpreter().run(ExecutionPlan(g), inputs: [input])
    let unfused = try Interpreter().run(ExecutionPlan(g, fusing: false), inputs: [input])
    #expect(fused.map(\.doubles) == unfused.map(\.doubles))
  }

}
