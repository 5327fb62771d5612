/// The lowerings of primitives that need attributes or several operations, spelled as JAX
/// writes the same operations (`jax.jit(f).lower(…).as_text()`).
enum StableHLOOps {
  typealias Operand = StableHLOLowering.Operand
  typealias Write = StableHLOLowering.Write

  /// `ψ⁽ⁿ⁾(x)`: `chlo.digamma` for n = 0, else `chlo.polygamma` with n as a tensor.
  static func polygamma(_ order: Int) -> Write {
    { w, x, out in
      let t = MLIRText.type(out)
      if order == 0 { return w.emit("chlo.digamma \(x[0].name) : \(t) -> \(t)") }
      let n = w.splat(Double(order), out)
      return w.emit("chlo.polygamma \(n), \(x[0].name) : \(t), \(t) -> \(t)")
    }
  }

  /// `log(1 + eˣ) = max(x, 0) + log1p(e^−|x|)`, as nabla evaluates it.
  static let softplus: Write = { w, x, out in
    let t = MLIRText.type(out)
    let magnitude = w.emit("stablehlo.abs \(x[0].name) : \(t)")
    let negated = w.emit("stablehlo.negate \(magnitude) : \(t)")
    let small = w.emit("stablehlo.exponential \(negated) : \(t)")
    let logarithm = w.emit("stablehlo.log_plus_one \(small) : \(t)")
    let zero = w.splat(0, out)
    let positive = w.emit("stablehlo.maximum \(x[0].name), \(zero) : \(t)")
    return w.emit("stablehlo.add \(positive), \(logarithm) : \(t)")
  }

  /// 1 where the comparison holds, else 0: `stablehlo.compare` (ordered, NaN compares false
  /// except `NE`) converted from `i1` to the float type.
  static func compare(_ c: Primitive.Comparison) -> Write {
    { w, x, out in
      let holds = predicate(c.rawValue.uppercased(), x[0], x[1])
      let p = w.emit(holds)
      return w.emit("stablehlo.convert \(p) : (\(boolType(out.shape))) -> \(MLIRText.type(out))")
    }
  }

  /// `select(c, a, b)`: `a` where `c ≠ 0`.
  static let select: Write = { w, x, out in
    let zero = w.splat(0, x[0].type)
    let p = w.emit(predicate("NE", x[0], Operand(name: zero, type: x[0].type)))
    return w.emit(
      "stablehlo.select \(p), \(x[1].name), \(x[2].name) : \(boolType(out.shape)), "
        + MLIRText.type(out))
  }

  /// `stablehlo.compare DIR, %a, %b, FLOAT : (…) -> tensor<…xi1>`.
  private static func predicate(_ direction: String, _ a: Operand, _ b: Operand) -> String {
    "stablehlo.compare \(direction), \(a.name), \(b.name), FLOAT : "
      + "(\(MLIRText.type(a.type)), \(MLIRText.type(b.type))) -> \(boolType(a.type.shape))"
  }

  private static func boolType(_ shape: [Int]) -> String {
    MLIRText.type(shape: shape, element: "i1")
  }

  /// `(tensor<…>) -> tensor<…>`: the signature of a one-operand operation.
  private static func signature(_ x: Operand, _ out: TensorType) -> String {
    "(\(MLIRText.type(x.type))) -> \(MLIRText.type(out))"
  }

  static let convert: Write = { w, x, out in
    if x[0].type == out { return x[0].name }
    return w.emit("stablehlo.convert \(x[0].name) : \(signature(x[0], out))")
  }

  static func broadcast(_ dims: [Int]) -> Write {
    { w, x, out in
      w.emit(
        "stablehlo.broadcast_in_dim \(x[0].name), dims = \(MLIRText.list(dims)) : "
          + signature(x[0], out))
    }
  }

  static let reshape: Write = { w, x, out in
    w.emit("stablehlo.reshape \(x[0].name) : \(signature(x[0], out))")
  }

  static func transpose(_ permutation: [Int]) -> Write {
    { w, x, out in
      w.emit(
        "stablehlo.transpose \(x[0].name), dims = \(MLIRText.list(permutation)) : "
          + signature(x[0], out))
    }
  }

  static func slice(_ start: [Int], _ limit: [Int], _ stride: [Int]) -> Write {
    { w, x, out in
      let ranges = start.indices.map { "\(start[$0]):\(limit[$0]):\(stride[$0])" }
      return w.emit(
        "stablehlo.slice \(x[0].name) [\(ranges.joined(separator: ", "))] : "
          + signature(x[0], out))
    }
  }

  /// Zero padding: `stablehlo.pad` with a 0-d zero.
  static func pad(_ low: [Int], _ high: [Int], _ interior: [Int]) -> Write {
    { w, x, out in
      let scalar = out.with(shape: [])
      let zero = w.splat(0, scalar)
      return w.emit(
        "stablehlo.pad \(x[0].name), \(zero), low = \(MLIRText.list(low)), "
          + "high = \(MLIRText.list(high)), interior = \(MLIRText.list(interior)) : "
          + "(\(MLIRText.type(x[0].type)), \(MLIRText.type(scalar))) -> \(MLIRText.type(out))")
    }
  }

  static func reverse(_ axes: [Int]) -> Write {
    { w, x, out in
      w.emit(
        "stablehlo.reverse \(x[0].name), dims = \(MLIRText.list(axes)) : \(MLIRText.type(out))")
    }
  }

  static func concatenate(_ axis: Int) -> Write {
    { w, x, out in
      w.emit(
        "stablehlo.concatenate \(x.map(\.name).joined(separator: ", ")), dim = \(axis) : "
          + "(\(x.map { MLIRText.type($0.type) }.joined(separator: ", "))) -> "
          + MLIRText.type(out))
    }
  }

  /// A reduction over `axes` with `combine` and its identity `initial`.
  static func reduce(_ combine: String, _ initial: Double, _ axes: [Int]) -> Write {
    { w, x, out in
      let scalar = out.with(shape: [])
      let start = w.splat(initial, scalar)
      return w.emit(
        "stablehlo.reduce(\(x[0].name) init: \(start)) applies \(combine) across dimensions = "
          + "\(MLIRText.list(axes)) : (\(MLIRText.type(x[0].type)), \(MLIRText.type(scalar))) -> "
          + MLIRText.type(out))
    }
  }

  /// XLA's `dot_general`: its output lists the batch axes, then the left operand's free axes,
  /// then the right's, as ``DotDimensions`` does.
  static func dotGeneral(_ d: DotDimensions) -> Write {
    { w, x, out in
      var attributes = ""
      if !d.lhsBatch.isEmpty {
        attributes +=
          "batching_dims = \(MLIRText.list(d.lhsBatch)) x \(MLIRText.list(d.rhsBatch)), "
      }
      attributes +=
        "contracting_dims = \(MLIRText.list(d.lhsContract)) x \(MLIRText.list(d.rhsContract))"
      return w.emit(
        "stablehlo.dot_general \(x[0].name), \(x[1].name), \(attributes), "
          + "precision = [DEFAULT, DEFAULT] : (\(MLIRText.type(x[0].type)), "
          + "\(MLIRText.type(x[1].type))) -> \(MLIRText.type(out))")
    }
  }
}
