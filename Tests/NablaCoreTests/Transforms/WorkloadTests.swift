import Foundation
import Testing

@testable import NablaCore

/// The benchmark workloads W1–W8 (`scripts/bench`) at reduced sizes, against closed forms computed here in
/// Double from the same inputs. `predict(W, b, x) = tanh(W x + b)`, so with `y = predict` and
/// `s = 1 − y²`: `∂y/∂x = diag(s) W`, `∂²y_i/∂x² = −2 y_i s_i W_i W_iᵀ`, `∂y_i/∂W_jk = s_i δ_ij x_k`.
@Suite struct WorkloadTests {
  /// The seeded inputs W [dout, din], b [dout], x [din] or [batch, din], and the program's value.
  struct Case {
    var w: [[Double]]
    var b: [Double]
    var xs: [[Double]]
    var value: Tensor
  }

  func run(_ din: Int, _ dout: Int, batch: Int? = nil, _ expression: String) throws -> Case {
    let xShape = batch.map { "\($0), \(din)" } ?? "\(din)"
    let program = """
      predict(W, b, x) = tanh(linear(x, W, b))
      W = randn(\(dout), \(din)); b = randn(\(dout)); x = randn(\(xShape))
      (W, b, x, \(expression))
      """
    let run = Run(program, seed: 0)
    guard case .tuple(let items)? = run.value, items.count == 4,
      case .tensor(let w) = items[0], case .tensor(let b) = items[1],
      case .tensor(let x) = items[2],
      case .tensor(let value) = items[3]
    else {
      Issue.record("\(run.diagnostics)")
      throw Run.Failure()
    }
    let wv = w.doubles
    let xv = x.doubles
    return Case(
      w: (0..<dout).map { Array(wv[($0 * din)..<(($0 + 1) * din)]) }, b: b.doubles,
      xs: batch == nil ? [xv] : (0..<(batch ?? 0)).map { Array(xv[($0 * din)..<(($0 + 1) * din)]) },
      value: value)
  }

  func y(_ c: Case, _ x: [Double]) -> [Double] {
    c.w.indices.map { i in tanh(zip(c.w[i], x).reduce(c.b[i]) { $0 + $1.0 * $1.1 }) }
  }

  func jacobian(_ c: Case, _ x: [Double]) -> [Double] {
    let yv = y(c, x)
    return c.w.indices.flatMap { i in c.w[i].map { (1 - yv[i] * yv[i]) * $0 } }
  }

  func hessian(_ c: Case, _ x: [Double]) -> [Double] {
    let yv = y(c, x)
    return c.w.indices.flatMap { i in
      c.w[i].flatMap { wj in c.w[i].map { wk in -2 * yv[i] * (1 - yv[i] * yv[i]) * wj * wk } }
    }
  }

  // float32 round-off on values of order one, as the issue asks
  let tol = (rtol: 1e-4, atol: 2e-5)

  @Test func w1JacrevWithRespectToX() throws {
    let c = try run(16, 16, "jacrev(predict, argnums=2)(W, b, x)")
    expectClose(c.value, jacobian(c, c.xs[0]), shape: [16, 16], rtol: tol.rtol, atol: tol.atol)
  }

  @Test(arguments: ["jacfwd", "jacrev"]) func w2TallJacobian(_ mode: String) throws {
    let c = try run(4, 64, "\(mode)(predict, argnums=2)(W, b, x)")
    expectClose(c.value, jacobian(c, c.xs[0]), shape: [64, 4], rtol: tol.rtol, atol: tol.atol)
  }

  @Test(arguments: ["jacfwd", "jacrev"]) func w3WideJacobian(_ mode: String) throws {
    let c = try run(64, 4, "\(mode)(predict, argnums=2)(W, b, x)")
    expectClose(c.value, jacobian(c, c.xs[0]), shape: [4, 64], rtol: tol.rtol, atol: tol.atol)
  }

  @Test(arguments: [
    "hessian(predict, argnums=2)", "jacfwd(jacfwd(predict, argnums=2), argnums=2)",
    "jacrev(jacrev(predict, argnums=2), argnums=2)",
    "jacrev(jacfwd(predict, argnums=2), argnums=2)",
  ]) func w4HessianThreeWays(_ composition: String) throws {
    let c = try run(12, 5, "\(composition)(W, b, x)")
    expectClose(c.value, hessian(c, c.xs[0]), shape: [5, 12, 12], rtol: tol.rtol, atol: tol.atol)
  }

  @Test func w5BatchJacobian() throws {
    let c = try run(
      7, 6, batch: 5, "vmap(jacrev(predict, argnums=2), in_dims=(None, None, 0))(W, b, x)")
    expectClose(
      c.value, c.xs.flatMap { jacobian(c, $0) }, shape: [5, 6, 7], rtol: tol.rtol, atol: tol.atol)
  }

  @Test func w5BatchJacobianBySumTrick() throws {
    let c = try run(
      7, 6, batch: 5,
      "movedim(jacrev((W, b, x) -> sum(predict(W, b, x), 0), argnums=2)(W, b, x), 1, 0)")
    expectClose(
      c.value, c.xs.flatMap { jacobian(c, $0) }, shape: [5, 6, 7], rtol: tol.rtol, atol: tol.atol)
  }

  @Test func w6BatchHessian() throws {
    let c = try run(
      5, 4, batch: 3, "vmap(hessian(predict, argnums=2), in_dims=(None, None, 0))(W, b, x)")
    expectClose(
      c.value, c.xs.flatMap { hessian(c, $0) }, shape: [3, 4, 5, 5], rtol: tol.rtol, atol: tol.atol)
  }

  @Test(arguments: [
    "jvp(grad(f), (x,), (t,))[1]", "vjp(grad(f), x)[1](t)[0]", "hvp(f, (x,), (t,))",
    "vhp(f, (x,), t)",
  ])
  func w7HessianVectorProduct(_ expression: String) throws {
    let run = Run(
      "f = x -> sum(sin(x)); x = randn(256); t = randn(256); (x, t, \(expression))", seed: 0)
    guard case .tuple(let items)? = run.value, case .tensor(let x) = items[0],
      case .tensor(let t) = items[1],
      case .tensor(let value) = items[2]
    else {
      Issue.record("\(run.diagnostics)")
      return
    }
    expectClose(
      value, zip(x.doubles, t.doubles).map { -sin($0) * $1 }, shape: [256], rtol: tol.rtol,
      atol: tol.atol)
  }

  @Test func w8JacrevWithRespectToWeightAndBias() throws {
    let c = try run(
      6, 6,
      "concat((flatten(jacrev(predict, argnums=(0, 1))(W, b, x)[0]), flatten(jacrev(predict, argnums=(0, 1))(W, b, x)[1])))"
    )
    let yv = y(c, c.xs[0])
    let s = yv.map { 1 - $0 * $0 }
    var expected: [Double] = []
    for i in 0..<6 {
      for j in 0..<6 { for k in 0..<6 { expected.append(i == j ? s[i] * c.xs[0][k] : 0) } }
    }
    for i in 0..<6 { for j in 0..<6 { expected.append(i == j ? s[i] : 0) } }
    expectClose(c.value, expected, shape: [6 * 6 * 6 + 36], rtol: tol.rtol, atol: tol.atol)
  }
}
