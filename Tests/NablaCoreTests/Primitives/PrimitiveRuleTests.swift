import Testing

@testable import NablaCore

/// Per-primitive checks driven by ``OpTable``.
@Suite struct PrimitiveRuleTests {
  @Test func tableCoversEveryPrimitive() {
    let covered = Set(OpTable.samples.map(\.primitive.kind))
    let missing = Primitive.Kind.allCases.filter { !covered.contains($0) }
    #expect(missing.isEmpty, "primitives without an op-table sample: \(missing)")
  }

  @Test(arguments: OpTable.samples) func shapeRuleMatchesEvaluation(_ s: OpSample) throws {
    for dtype in s.dtypes {
      let inputs = OpTable.operands(s, dtype)
      let rule = s.primitive.rule
      let type = try rule.outputType(inputs.map(\.type))
      let out = rule.evaluate(inputs)
      #expect(out.type == type, "\(s) in \(dtype)")
      #expect(out.count == type.count)
    }
  }

  /// The float32 kernel agrees with the float64 kernel on the same (float32-representable)
  /// operands, to float32 round-off.
  @Test(arguments: OpTable.samples.filter { $0.dtypes.contains(.f32) })
  func float32AgreesWithFloat64(_ s: OpSample) throws {
    let narrow = OpTable.operands(s, .f32)
    let wide = narrow.map { $0.converted(to: .f64) }
    let a = s.primitive.rule.evaluate(narrow).doubles
    let b = s.primitive.rule.evaluate(wide).doubles
    for (x, y) in zip(a, b) {
      #expect(abs(x - y) <= 1e-5 * max(1, abs(y)), "\(s): f32 \(x) vs f64 \(y)")
    }
  }

  /// A rule that says it is elementwise commutes with any rearrangement of the elements:
  /// reversing every operand's elements reverses the output's.
  @Test(arguments: OpTable.samples.filter(\.primitive.rule.isElementwise))
  func elementwiseRulesCommuteWithRearrangingElements(_ s: OpSample) {
    let operands = OpTable.operands(s, .f64)
    #expect(Set(operands.map(\.shape)).count == 1, "\(s) has operands of different shapes")
    let reversed = operands.map {
      Tensor(shape: $0.shape, values: $0.doubles.reversed(), dtype: .f64)
    }
    let rule = s.primitive.rule
    #expect(rule.evaluate(reversed).doubles == rule.evaluate(operands).doubles.reversed(), "\(s)")
  }

  /// A rule rejects operands it cannot take with an internal diagnostic, never a trap.
  /// The structure rule for uniform values against evaluation: with every operand filled
  /// with one value of its domain (and, one at a time, only that operand uniform), a rule that
  /// claims a uniform result claims the value evaluation gives everywhere; when all operands
  /// are uniform and so is the result, every rule but linear algebra's claims it.
  @Test(arguments: OpTable.samples) func uniformRuleMatchesEvaluation(_ s: OpSample) throws {
    for dtype in s.dtypes {
      let random = OpTable.operands(s, dtype)
      let fills = s.inputs.indices.map { i in
        // positions: one inside the axis
        s.positions[i].map { Double(min(1, $0 - 1)) }
          ?? s.domain.lowerBound + 0.37 * Double(i + 1)
          * (s.domain.upperBound - s.domain.lowerBound) / Double(s.inputs.count + 1)
      }
      let uniform = zip(random, fills).map { t, u in
        Tensor(shape: t.shape, values: Array(repeating: u, count: t.count), dtype: dtype)
      }
      let types = uniform.map(\.type)
      let output = try s.primitive.rule.outputType(types)
      for known in [Array(repeating: true, count: fills.count)]
        + fills.indices.map({ i in fills.indices.map { $0 == i } })
      {
        let operands = zip(known, zip(uniform, random)).map { $0 ? $1.0 : $1.1 }
        let values = zip(known, uniform).map { $0 ? $1[flat: 0] : nil }
        let result = s.primitive.rule.evaluate(operands).doubles
        guard let claimed = s.primitive.rule.uniform(values, types, output: output) else {
          // all operands uniform and the result too: only linear algebra and the user's
          // functions (which it does not look into) leave it to folding
          let linearAlgebra =
            OpTable.linearAlgebra.contains(s.primitive.kind)
            || [.customJVP, .customVJP, .customVJPTangent].contains(s.primitive.kind)
          let isUniform = result.allSatisfy { $0 == result.first }
          #expect(
            !(known.allSatisfy { $0 } && isUniform) || linearAlgebra,
            "\(s) in \(dtype): no uniform result claimed")
          continue
        }
        for x in result {
          #expect(
            abs(x - claimed) <= 1e-5 * max(1, abs(x)) || (x.isNaN && claimed.isNaN),
            "\(s) in \(dtype) with \(values): claimed \(claimed), evaluated \(x)")
        }
      }
    }
  }

  @Test(arguments: OpTable.samples) func ruleRejectsMismatchedOperands(_ s: OpSample) {
    let wrong = s.inputs.map { TensorType(.f32, $0 + [7]) } + [TensorType(.f64, [1, 2, 3, 4, 5])]
    #expect(throws: Diagnostic.self) { try s.primitive.rule.outputType(wrong) }
  }

  /// Structural kernels against element-by-element index arithmetic.
  @Test func structuralKernelsMoveTheRightElements() throws {
    let x = Tensor(shape: [2, 3], values: [0, 1, 2, 3, 4, 5], dtype: .f64)
    #expect(Transpose(permutation: [1, 0]).evaluate([x]).doubles == [0, 3, 1, 4, 2, 5])
    #expect(
      Slice(start: [0, 1], limit: [2, 3], stride: [1, 1]).evaluate([x]).doubles == [1, 2, 4, 5])
    #expect(Reverse(axes: [0, 1]).evaluate([x]).doubles == [5, 4, 3, 2, 1, 0])
    #expect(
      Pad(low: [0, 1], high: [0, 0], interior: [0, 1]).evaluate([x]).doubles
        == [0, 0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5])
    #expect(
      Broadcast(shape: [2, 2, 3], dims: [1, 2]).evaluate([x]).doubles == [
        0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5,
      ])
    #expect(ReduceSum(axes: [0]).evaluate([x]).doubles == [3, 5, 7])
    #expect(ReduceMax(axes: [1]).evaluate([x]).doubles == [2, 5])
    #expect(Concatenate(axis: 0).evaluate([x, x]).shape == [4, 3])
  }
}

/// The derivative and batching rules of every primitive, driven by ``OpTable``.
@Suite struct PrimitiveTransformTests {
  /// The one-equation graph of a sample, in float64.
  static func graph(_ s: OpSample) throws -> Graph {
    let b = GraphBuilder()
    let inputs = s.inputs.map { b.input(TensorType(.f64, $0)) }
    return b.finish(outputs: [try b.emit(s.primitive, inputs)])
  }

  @Test(arguments: OpTable.samples.filter(\.isDifferentiable))
  func derivativesMatchFiniteDifferencesToSecondOrder(
    _ s: OpSample
  ) throws {
    let g = try Self.graph(s)
    try GradientCheck.check(g, at: OpTable.operands(s, .f64), order: 2, path: s.description)
  }

  /// `vmap(f)` over a stacked input equals applying `f` to each slice, for every choice of
  /// which operands are batched.
  @Test(arguments: OpTable.samples) func vmapMatchesALoop(_ s: OpSample) throws {
    let g = try Self.graph(s)
    let size = 3
    var masks: [[Bool]] = [Array(repeating: true, count: s.inputs.count)]
    for i in 0..<s.inputs.count where s.inputs.count > 1 {
      masks.append((0..<s.inputs.count).map { $0 == i })
    }
    for mask in masks {
      let batched = try Batching.transform(g, batched: mask, size: size)
      try Verifier.verify(batched)
      let slices = (0..<size).map { k in
        OpTable.operands(s, .f64).enumerated().map { i, t in
          // positions are rotated among themselves, so they stay whole and in range
          let values =
            s.positions[i] == nil
            ? t.doubles.map { $0 * (1 + 0.1 * Double(k)) }
            : Array(t.doubles[(k % max(t.count, 1))...] + t.doubles[..<(k % max(t.count, 1))])
          return Tensor(shape: t.shape, values: values, dtype: .f64)
        }
      }
      // batched operands stack the slices; unbatched ones take slice 0
      let inputs = (0..<s.inputs.count).map { i in
        mask[i]
          ? Tensor(
            shape: [size] + slices[0][i].shape, values: slices.flatMap { $0[i].doubles },
            dtype: .f64)
          : slices[0][i]
      }
      let out = try Interpreter().run(batched, inputs: inputs)[0]
      let expected = try (0..<size).flatMap { k in
        try Interpreter().run(
          g, inputs: (0..<s.inputs.count).map { mask[$0] ? slices[k][$0] : slices[0][$0] })[0]
          .doubles
      }
      #expect(out.doubles.count == expected.count, "\(s) \(mask)")
      for (a, e) in zip(out.doubles, expected) where !(a == e || abs(a - e) <= 1e-12 * (1 + abs(e)))
      {
        Issue.record("vmap of \(s) with batched \(mask): \(out.doubles) vs loop \(expected)")
        break
      }
    }
  }
}

/// For primitives linear in some operand: `⟨ct, L(x)⟩ = ⟨Lᵀ(ct), x⟩`, with `L` the primitive's
/// own kernel and `Lᵀ` its transpose rule, the other operands held fixed.
@Suite struct TransposeRuleTests {
  /// Samples, an operand each is linear in, and the operands linear together with it, from the
  /// rule's own ``Linearity``.
  static let linear: [(OpSample, Int, [Int])] = OpTable.samples.flatMap {
    s -> [(OpSample, Int, [Int])] in
    switch s.primitive.rule.linearity {
    case .none: []
    case .all: s.inputs.indices.map { (s, $0, Array(s.inputs.indices)) }
    case .jointly(let group): group.map { (s, $0, group) }
    case .separately(let operands): operands.map { (s, $0, [$0]) }
    }
  }

  @Test(arguments: linear.map { "\($0.0.description) operand \($0.1)" })
  func transposeSatisfiesAdjointIdentity(_ name: String) throws {
    guard
      let (s, k, group) = Self.linear.first(where: { "\($0.0.description) operand \($0.1)" == name }
      )
    else { return }
    // With the operands outside its group fixed, the primitive is affine in operand k; its
    // linear part, which the transpose rule transposes, is what it computes with the other
    // operands of the group set to zero.
    let operands = OpTable.operands(s, .f64).enumerated().map { i, t in
      i == k || !group.contains(i) ? t : Tensor(repeating: 0, shape: t.shape, dtype: .f64)
    }
    let rule = s.primitive.rule
    var directions = GradientCheck.Directions(state: 99)
    let x = directions.tensor(operands[k].type)
    var args = operands
    args[k] = x
    let y = rule.evaluate(args)
    let ct = directions.tensor(y.type)
    // Lᵀ(ct) through the rule, in a graph whose inputs are the fixed operands and ct
    let b = GraphBuilder()
    let fixed = operands.indices.map { $0 == k ? nil : b.input(operands[$0].type) }
    let ctVar = b.input(y.type)
    let result = try rule.transpose(ctVar, fixed, operands.map(\.type), b)
    guard let out = result[k] else {
      Issue.record("no cotangent for operand \(k) of \(s)")
      return
    }
    let g = b.finish(outputs: [out])
    let inputs = operands.indices.filter { $0 != k }.map { operands[$0] } + [ct]
    let xBar = try Interpreter().run(g, inputs: inputs)[0]
    let lhs = GradientCheck.dot([ct], [y])
    let rhs = GradientCheck.dot([xBar], [x])
    #expect(abs(lhs - rhs) <= 1e-10 * (1 + abs(lhs)), "\(s): ⟨ct, Lx⟩ = \(lhs), ⟨Lᵀct, x⟩ = \(rhs)")
  }
}
