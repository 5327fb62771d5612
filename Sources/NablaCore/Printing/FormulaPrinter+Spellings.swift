extension FormulaPrinter.Printer {
  /// The text of one equation's value, by the built-in or operator that computes it.
  mutating func equation(_ eq: Equation) -> Written? {
    let type = graph.type(of: eq.output)
    let x = eq.inputs
    switch eq.primitive {
    case .add, .sub:
      return sum(eq.output)
    case .mul, .neg:
      return product(of: [eq.output])
    case .dotGeneral(let d):
      if graph.type(of: x[0]).rank == 0 || graph.type(of: x[1]).rank == 0 {
        return product(of: x)
      }
      return contraction(x[0], x[1], d, shape: type.shape)
    case .div: return infix(" / ", x[0], x[1], .product)
    case .pow: return infix("^", x[0], x[1], .power)
    case .compare(let c):
      let op = [.eq: "==", .ne: "!=", .lt: "<", .le: "<=", .gt: ">", .ge: ">="][c] ?? "=="
      return infix(" \(op) ", x[0], x[1], .comparison)
    case .select: return call("where", x)
    case .polygamma(let n):
      if n == 0 { return call("digamma", x) }
      guard let a = expression(x[0]) else { return nil }
      return Written(text: "polygamma(\(n), \(a.text))", precedence: .atom, shape: a.shape)
    case .exp, .log, .sin, .cos, .tan, .asin, .acos, .atan, .sinh, .cosh, .tanh, .asinh,
      .acosh, .atanh, .expm1, .log1p, .sqrt, .rsqrt, .cbrt, .abs, .sign, .floor, .ceil,
      .round, .erf, .erfc, .erfinv, .lgamma, .logistic, .softplus, .stopGradient, .atan2, .max,
      .min:
      let name = Self.builtinName(eq.primitive)
      return Builtins.table[name] == nil ? nil : call(name, x)
    case .convert(let dtype):
      return dtype == graph.type(of: x[0]).dtype ? expression(x[0]) : nil
    case .broadcast(let shape, let dims): return broadcast(x[0], shape, dims)
    case .reshape(let shape):
      if shape.reduce(1, *) == 1 {  // one number: broadcasts, unless it has more axes
        guard let a = expression(x[0]) else { return nil }
        if a.shape.count <= shape.count { return a }
        if shape.isEmpty { return Written(text: "sum(\(a.text))", precedence: .atom, shape: []) }
      }
      return shaped("reshape", x[0], shape.map(String.init))
    case .transpose(let permutation):
      guard let a = exact(x[0]) else { return nil }
      if permutation == [1, 0] {
        return Written(
          text: FormulaPrinter.wrap(a, .atom) + "'", precedence: .atom, shape: type.shape)
      }
      return Written(
        text: "permute(\(a.text), \(FormulaPrinter.tupleText(permutation)))", precedence: .atom,
        shape: type.shape)
    case .slice(let start, let limit, let stride):
      let operand = graph.type(of: x[0]).shape
      return indexed(
        x[0], type.shape,
        operand.indices.map { i in
          let (a, b, s) = (start[i], limit[i], stride[i])
          return (a == 0 ? "" : "\(a)") + ":" + (b == operand[i] ? "" : "\(b)")
            + (s == 1 ? "" : ":\(s)")
        })
    case .reverse(let axes):
      let all = graph.type(of: x[0]).shape.indices
      return indexed(x[0], type.shape, all.map { axes.contains($0) ? "::-1" : ":" })
    case .concatenate(let axis):
      var parts: [String] = []
      for input in x {
        guard let a = exact(input) else { return nil }
        parts.append(a.text)
      }
      let items = parts.count == 1 ? parts[0] + "," : parts.joined(separator: ", ")
      return Written(text: "concat((\(items)), dim=\(axis))", precedence: .atom, shape: type.shape)
    case .reduceSum(let axes): return reduction("sum", x[0], axes)
    case .reduceMax(let axes): return reduction("max", x[0], axes)
    case .reduceMin(let axes): return reduction("min", x[0], axes)
    case .reduceProd(let axes): return reduction("prod", x[0], axes)
    case .argsort(let axis, let descending):
      return exactCall(
        "argsort", x, type.shape, keywords: "dim=\(axis)" + (descending ? ", descending=True" : ""))
    case .argReduce(let axis, let largest):
      return exactCall(largest ? "argmax" : "argmin", x, type.shape, keywords: "dim=\(axis)")
    case .takeAlongAxis(let axis):
      return exactCall("take_along_axis", x, type.shape, keywords: "dim=\(axis)")
    case .inverse: return exactCall("inv", x, type.shape)
    case .determinant: return exactCall("det", x, type.shape)
    case .solve: return exactCall("solve", x, type.shape)
    case .adjugate: return exactCall("adjugate", x, type.shape)
    case .cholesky: return exactCall("cholesky", x, type.shape)
    case .pseudoInverse: return exactCall("pinv", x, type.shape)
    case .eigh(.values): return exactCall("eigvalsh", x, type.shape)
    case .eigh(.vectors): return exactCall("eigh", x, type.shape, result: 1)
    case .qr(.q): return exactCall("qr", x, type.shape, result: 0)
    case .qr(.r): return exactCall("qr", x, type.shape, result: 1)
    case .svd(.u): return exactCall("svd", x, type.shape, result: 0)
    case .svd(.s): return exactCall("svdvals", x, type.shape)
    case .svd(.vh): return exactCall("svd", x, type.shape, result: 2)
    case .pad, .gather, .scatterAdd, .scatterAddAlongAxis: return nil  // no built-ins write these
    case .customJVP, .customVJP, .customVJPTangent: return nil  // a function value, not a built-in
    }
  }

  /// The built-in spelling of an elementwise primitive.
  static func builtinName(_ p: Primitive) -> String {
    p == .logistic ? "sigmoid" : p == .max ? "maximum" : p == .min ? "minimum" : p.kind.rawValue
  }

  /// A broadcast into `shape` (operand axis `i` at output axis `dims[i]`): the operand itself
  /// when NumPy's right-aligned broadcasting already places its axes there, else reshaped
  /// with unit axes so that it does (`reshape(v, 3, 1)` for a column).
  private mutating func broadcast(_ v: Var, _ shape: [Int], _ dims: [Int]) -> Written? {
    let operand = graph.type(of: v).shape
    var aligned = Array(repeating: 1, count: shape.count)
    for (i, d) in dims.enumerated() where d < aligned.count && i < operand.count {
      aligned[d] = operand[i]
    }
    let needed = Array(aligned.drop { $0 == 1 })
    if needed == Array(operand.drop { $0 == 1 }) { return expression(v) }
    return shaped("reshape", v, needed.map(String.init))
  }

  /// `name(v, a, b, …)` with `v` of its exact shape; the result has the equation's shape.
  private mutating func shaped(_ name: String, _ v: Var, _ arguments: [String]) -> Written? {
    guard let a = exact(v) else { return nil }
    let shape = arguments.compactMap { Int($0) }
    return Written(
      text: "\(name)(\(([a.text] + arguments).joined(separator: ", ")))", precedence: .atom,
      shape: shape)
  }

  /// `v[i₀, i₁, …]` (of `shape`), trailing full axes (`:`) left out.
  private mutating func indexed(_ v: Var, _ shape: [Int], _ indices: [String]) -> Written? {
    guard let a = exact(v) else { return nil }
    var shown = indices
    while shown.last == ":" { shown.removeLast() }
    guard !shown.isEmpty else { return a }
    return Written(
      text: FormulaPrinter.wrap(a, .atom) + "[" + shown.joined(separator: ", ") + "]",
      precedence: .atom, shape: shape)
  }

  /// `sum(v)`, `sum(v, dim=1)`, `sum(v, dim=(0, 2))`.
  private mutating func reduction(_ name: String, _ v: Var, _ axes: [Int]) -> Written? {
    if axes.isEmpty { return expression(v) }
    guard let a = exact(v) else { return nil }
    let rank = a.shape.count
    let shape = a.shape.indices.filter { !axes.contains($0) }.map { a.shape[$0] }
    let dim =
      axes.sorted() == Array(0..<rank)
      ? "" : axes.count == 1 ? ", dim=\(axes[0])" : ", dim=" + FormulaPrinter.tupleText(axes)
    return Written(text: "\(name)(\(a.text)\(dim))", precedence: .atom, shape: shape)
  }

  /// `name(a, b, …)` (of `shape`) of operands of their exact shapes, or its item `[result]`
  /// for a built-in that gives a tuple.
  private mutating func exactCall(
    _ name: String, _ inputs: [Var], _ shape: [Int], result: Int? = nil, keywords: String? = nil
  ) -> Written? {
    var arguments: [String] = []
    for input in inputs {
      guard let a = exact(input) else { return nil }
      arguments.append(a.text)
    }
    if let keywords { arguments.append(keywords) }
    let index = result.map { "[\($0)]" } ?? ""
    return Written(
      text: name + "(" + arguments.joined(separator: ", ") + ")" + index, precedence: .atom,
      shape: shape)
  }
}
