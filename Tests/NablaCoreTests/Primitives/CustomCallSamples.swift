@testable import NablaCore

/// Calls of functions with custom derivative rules for the op table, their graphs built by
/// hand in float64 with rules that are the true derivatives (so the table's finite-difference
/// checks hold): `f(x, y) = x · sin y` with its JVP rule, and `sin x` with `fwd` keeping
/// `cos x` and `bwd(r, ȳ) = r · ȳ`. (A sample that fails to build is missing from the table,
/// which its coverage test reports.)
enum CustomCallSamples {
  static let type = TensorType(.f64, [3])

  /// `custom_jvp(f, (x, y), (ẋ, ẏ)) -> (x sin y, ẋ sin y + x cos y ẏ)`.
  static func jvpCall() throws -> CustomJVPCall {
    let f = GraphBuilder()
    let (x, y) = (f.input(type), f.input(type))
    let function = f.finish(outputs: [try f.mul(x, try f.unary(.sin, y))])
    let r = GraphBuilder()
    let (rx, ry, tx, ty) = (r.input(type), r.input(type), r.input(type), r.input(type))
    let sin = try r.unary(.sin, ry)
    let cos = try r.unary(.cos, ry)
    let tangent = try r.add(try r.mul(tx, sin), try r.mul(try r.mul(rx, cos), ty))
    let rule = r.finish(outputs: [try r.mul(rx, sin), tangent])
    return CustomJVPCall(function: function, rule: rule, argumentCount: 2, name: "x_sin_y")
  }

  /// `custom_vjp(sin, x -> (sin x, cos x), (r, ȳ) -> (r ȳ,))`.
  static func vjpCall() throws -> CustomVJPCall {
    let f = GraphBuilder()
    let x = f.input(type)
    let function = f.finish(outputs: [try f.unary(.sin, x)])
    let w = GraphBuilder()
    let wx = w.input(type)
    let forward = w.finish(outputs: [try w.unary(.sin, wx), try w.unary(.cos, wx)])
    let b = GraphBuilder()
    let (residual, cotangent) = (b.input(type), b.input(type))
    let backward = b.finish(outputs: [try b.mul(residual, cotangent)])
    return CustomVJPCall(
      function: function, forward: forward, backward: backward, argumentCount: 1,
      cotangentOutputs: [0], name: "sin")
  }

  static let samples: [OpSample] = {
    guard let j = try? jvpCall(), let v = try? vjpCall() else { return [] }
    return [
      .init(.customJVP(j, output: 0), [[3], [3]], dtypes: [.f64]),
      .init(.customVJP(v, output: 0), [[3]], dtypes: [.f64]),
      .init(.customVJPTangent(v, output: 0), [[3], [3]], dtypes: [.f64]),
    ]
  }()
}
