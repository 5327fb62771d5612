import Foundation
import Testing

@testable import NablaCore

/// ``GradCheck`` on graphs: it passes on every primitive of the op table to second order, in
/// both dtypes, and reports a deliberately wrong derivative rule with the mode, order, input,
/// element and values that mathematics predicts.
@Suite struct GradCheckTests {
  /// The one-equation graph of a sample, with operands of `dtype`.
  static func graph(_ s: OpSample, _ dtype: DType) throws -> Graph {
    let b = GraphBuilder()
    let inputs = s.inputs.map { b.input(TensorType(dtype, $0)) }
    return b.finish(outputs: [try b.emit(s.primitive, inputs)])
  }

  static func subject(_ g: Graph, _ point: [Tensor]) -> GradCheck.Subject {
    GradCheck.Subject(
      graph: g, point: point, differentiated: g.inputs.map { _ in true },
      inputNames: g.inputs.indices.map { "operand \($0)" },
      outputNames: g.outputs.indices.map { "output \($0)" })
  }

  static func checker(
    order: Int = 2, modes: [GradCheck.Mode] = [.fwd, .rev],
    rules: @escaping @Sendable (Primitive) -> any PrimitiveRule = { $0.rule }
  ) -> GradCheck {
    var options = GraphBuilder.Options()
    options.derivativeRules = rules
    return GradCheck(
      settings: GradCheck.Settings(order: order, modes: modes), options: options,
      interpreter: Interpreter())
  }

  @Test(arguments: OpTable.samples.filter(\.isDifferentiable))
  func passesOnEveryPrimitiveToSecondOrder(_ s: OpSample) throws {
    for dtype in s.dtypes {
      let g = try Self.graph(s, dtype)
      let failure = try Self.checker().check(Self.subject(g, OpTable.operands(s, dtype)))
      #expect(failure == nil, "\(s) in \(dtype): \(failure?.text ?? "")")
    }
  }

  /// `y = sin x` at `x = (π/4, π/4, 2)` with the rule `sin′ = sin`: right where sin = cos
  /// (π/4), wrong at element 2, where nabla's value over the true one is `sin 2 / cos 2`.
  static let x = Tensor(shape: [3], doubles: [Double.pi / 4, Double.pi / 4, 2])
  static let sinGraph: Graph = {
    let b = GraphBuilder()
    let x = b.input(TensorType(.f64, [3]))
    return b.finish(outputs: [(try? b.emit(.sin, [x])) ?? x])
  }()

  @Test(arguments: [GradCheck.Mode.fwd, .rev]) func wrongFirstDerivativeFails(
    _ mode: GradCheck.Mode
  ) throws {
    let checker = Self.checker(
      order: 1, modes: [mode], rules: WrongDerivativeRule.rules(.sin, derivative: .sin))
    let failure = try #require(try checker.check(Self.subject(Self.sinGraph, [Self.x])))
    #expect(failure.modes == [mode])
    #expect(failure.order == 1)
    #expect(failure.input == "operand 0")
    let place: GradCheckFailure.Place =
      mode == .fwd ? .jvpElement(2, output: "output 0") : .vjpElement(2)
    #expect(failure.place == place)
    #expect(abs(failure.analytic / failure.numeric - tan(2)) < 1e-6)
    #expect(abs(failure.analytic - failure.numeric) > failure.tolerance)
    #expect(failure.tolerance == 1e-5 + 1e-5 * abs(failure.numeric))  // float64 defaults
  }

  @Test func rightRulePassesAtTheSamePoint() throws {
    #expect(try Self.checker().check(Self.subject(Self.sinGraph, [Self.x])) == nil)
  }

  /// `cos′ = sin` (sign wrong) leaves sin's first derivative right (its rule emits cos, whose
  /// value is right) and makes its second derivative `+sin` instead of `−sin`: order 1
  /// passes, order 2 fails in forward mode of the forward-mode derivative, with nabla's value
  /// the negative of the true one.
  @Test func wrongSecondDerivativeFailsOnlyAtOrderTwo() throws {
    let rules = WrongDerivativeRule.rules(.cos, derivative: .sin)
    let point = Tensor(shape: [2], doubles: [0.5, 1])
    let g: Graph = {
      let b = GraphBuilder()
      let x = b.input(TensorType(.f64, [2]))
      return b.finish(outputs: [(try? b.emit(.sin, [x])) ?? x])
    }()
    #expect(try Self.checker(order: 1, rules: rules).check(Self.subject(g, [point])) == nil)
    let failure = try #require(
      try Self.checker(order: 2, rules: rules).check(Self.subject(g, [point])))
    #expect(failure.modes == [.fwd, .fwd])
    #expect(failure.modeText == "fwd of fwd")
    #expect(failure.input == "operand 0")
    #expect(failure.place == .jvpElement(1, output: "the JVP of output 0"))
    #expect(abs(failure.analytic / failure.numeric + 1) < 1e-6)
  }

  /// An input of more than ``GradCheck/directLimit`` elements is checked in reverse mode by
  /// the adjoint identity, which a wrong rule breaks too.
  @Test func largeInputsUseTheInnerProduct() throws {
    let n = GradCheck.directLimit + 72
    let point = Tensor(shape: [n], doubles: (0..<n).map { 0.5 + Double($0) / Double(n) })
    let g: Graph = {
      let b = GraphBuilder()
      let x = b.input(TensorType(.f64, [n]))
      let y = (try? b.emit(.sin, [x])) ?? x
      return b.finish(outputs: [(try? b.emit(.reduceSum(axes: [0]), [y])) ?? y])
    }()
    #expect(try Self.checker(order: 1, modes: [.rev]).check(Self.subject(g, [point])) == nil)
    let wrong = Self.checker(
      order: 1, modes: [.rev], rules: WrongDerivativeRule.rules(.sin, derivative: .sin))
    let failure = try #require(try wrong.check(Self.subject(g, [point])))
    #expect(failure.place == .innerProduct)
    #expect(abs(failure.analytic - failure.numeric) > failure.tolerance)
  }

  /// Tolerances follow the dtype nabla computes in (JAX's `default_gradient_tolerance`), and
  /// given ones replace them.
  @Test func tolerancesFollowTheDtype() throws {
    #expect(GradCheck.defaultTolerance(.f32) == 2e-3)
    #expect(GradCheck.defaultTolerance(.f64) == 1e-5)
    let sample = OpSample(.mul, [[3], [3]])
    for dtype in DType.allCases {
      let s = Self.subject(try Self.graph(sample, dtype), OpTable.operands(sample, dtype))
      #expect(GradCheck.precision(of: s) == dtype)
    }
    var settings = GradCheck.Settings()
    settings.atol = 0.5
    let checker = GradCheck(settings: settings, options: .init(), interpreter: Interpreter())
    #expect(checker.tolerances(.f32) == (0.5, 2e-3))
  }

  /// The float64 graph computes the formula in float64, with conversions to float32 kept wide.
  @Test func widenedGraphComputesInFloat64() throws {
    let b = GraphBuilder()
    let x = b.input(TensorType(.f32, [2]))
    let narrow = try b.emit(.convert(.f32), [try b.emit(.convert(.f64), [x])])
    let third = try b.constant(Tensor(shape: [2], values: [1.0 / 3, 1.0 / 3], dtype: .f32))
    let y = try b.emit(.mul, [try b.emit(.sin, [narrow]), third])
    let wide = try Widening.float64(b.finish(outputs: [y]))
    #expect(wide.type(of: wide.outputs[0]) == TensorType(.f64, [2]))
    let input = Tensor(shape: [2], values: [0.5, 1.25], dtype: .f32)
    let out = try Interpreter().run(wide, inputs: [input.converted(to: .f64)])[0].doubles
    let third32 = Double(Float(1.0 / 3))  // the constant was float32
    for (o, v) in zip(out, input.doubles) {
      #expect(abs(o - sin(v) * third32) <= 1e-15)
    }
  }

  /// The directions are standard normal (sample mean 0 and variance 1 within a few standard
  /// errors) and the same on every run.
  @Test func directionsAreStandardNormalAndReproducible() {
    var a = NormalSampler()
    var b = NormalSampler()
    let n = 100_000
    let xs = (0..<n).map { _ in a.next() }
    #expect(xs == (0..<n).map { _ in b.next() })
    let mean = xs.reduce(0, +) / Double(n)
    let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
    #expect(abs(mean) < 4 / Double(n).squareRoot())
    #expect(abs(variance - 1) < 4 * (2 / Double(n)).squareRoot())
    #expect(xs.allSatisfy { $0.isFinite })
  }
}
