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
    for dtype in DType.allCases {
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
  @Test(arguments: OpTable.samples) func float32AgreesWithFloat64(_ s: OpSample) throws {
    let narrow = OpTable.operands(s, .f32)
    let wide = narrow.map { $0.converted(to: .f64) }
    let a = s.primitive.rule.evaluate(narrow).doubles
    let b = s.primitive.rule.evaluate(wide).doubles
    for (x, y) in zip(a, b) {
      #expect(abs(x - y) <= 1e-5 * max(1, abs(y)), "\(s): f32 \(x) vs f64 \(y)")
    }
  }

  /// A rule rejects operands it cannot take with an internal diagnostic, never a trap.
  @Test(arguments: OpTable.samples) func ruleRejectsMismatchedOperands(_ s: OpSample) {
    let wrong = s.inputs.map { TensorType(.f32, $0 + [7]) } + [TensorType(.f64, [1, 2, 3, 4, 5])]
    #expect(throws: Diagnostic.self) { try s.primitive.rule.outputType(wrong) }
  }

  /// Structural kernels against element-by-element index arithmetic.
  @Test func structuralKernelsMoveTheRightElements() throws {
    let x = Tensor(shape: [2, 3], values: [0, 1, 2, 3, 4, 5], dtype: .f64)
    #expect(Transpose(permutation: [1, 0]).evaluate([x]).doubles == [0, 3, 1, 4, 2, 5])
    #expect(Slice(start: [0, 1], limit: [2, 3], stride: [1, 1]).evaluate([x]).doubles == [1, 2, 4, 5])
    #expect(Reverse(axes: [0, 1]).evaluate([x]).doubles == [5, 4, 3, 2, 1, 0])
    #expect(
      Pad(low: [0, 1], high: [0, 0], interior: [0, 1]).evaluate([x]).doubles
        == [0, 0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5])
    #expect(Broadcast(shape: [2, 2, 3], dims: [1, 2]).evaluate([x]).doubles == [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5])
    #expect(ReduceSum(axes: [0]).evaluate([x]).doubles == [3, 5, 7])
    #expect(ReduceMax(axes: [1]).evaluate([x]).doubles == [2, 5])
    #expect(Concatenate(axis: 0).evaluate([x, x]).shape == [4, 3])
  }
}
