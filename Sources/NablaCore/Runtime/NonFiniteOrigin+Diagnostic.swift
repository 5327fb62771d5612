/// The error `--check-nans` reports for a non-finite result: the origin's span marked, what
/// produced the value (the operation, or the derivative rule and the operation it
/// differentiates) with the values at the offending element, and how to avoid it.
///
///     <program>:1:11: error: the derivative of sqrt at 0 is inf
///     1 | grad(x -> sqrt(x))(0.0)
///       |           ^^^^^^^
///       |           `- in the derivative of sqrt: 0.5 / 0 = inf
///       = help: …
extension NonFiniteOrigin {
  /// The diagnostic, at the origin's span or, for an equation no expression wrote,
  /// `fallback` (the statement).
  public func diagnostic(fallback: SourceRange?) -> Diagnostic {
    let range = origin.equation.source ?? fallback
    var text = origin.headline
    var notes: [Diagnostic.Note] = []
    if let nan {
      let then = nan.formula + " = nan" + (nan.context.map { " " + $0 } ?? "")
      if let r = nan.equation.source, r != range {
        notes.append(Diagnostic.Note(range: r, text: "then " + then))
      } else {
        text += ", then " + then
      }
    }
    var d = Diagnostic(.nonFiniteValue(text, help: origin.help), at: range)
    if let label = origin.label { d = d.labeled(range, label) }
    d.notes = notes
    return d
  }
}

extension NonFiniteOrigin.Event {
  /// The primitive of the user's operation: the one differentiated, for a derivative
  /// equation.
  var operation: Primitive.Kind {
    equation.provenance.derivation?.primitive ?? equation.primitive.kind
  }

  /// A number as diagnostics print it: `0`, `0.5`, `1e+30`, `inf`, `nan` (of either sign).
  static func number(_ x: Double) -> String { x.isNaN ? "nan" : CFormat.format("%g", x) }

  var isDivisionByZero: Bool { equation.primitive == .div && operands?[1] == 0 }

  /// ±∞ from operands none of which is 0: the result is beyond the dtype's range (a pole, such
  /// as `log 0` or `1 / 0`, has a zero operand).
  var isOverflow: Bool { value.isInfinite && (operands ?? []).allSatisfy { $0 != 0 } }

  /// `in the derivative of sqrt`, `in the chain rule of exp`; `nil` for a user's operation.
  var context: String? {
    guard let d = equation.provenance.derivation else { return nil }
    switch d.part {
    case .derivative:
      return "in the \(Self.ordinal(d.order))derivative of \(Self.name(d.primitive))"
    case .chainRule:
      return
        "in the chain rule of \(d.order > 1 ? "the \(Self.ordinal(d.order - 1))derivative of " : "")\(Self.name(d.primitive))"
    }
  }

  /// `""` for the first derivative, `second `, `third `, `4th `….
  static func ordinal(_ order: Int) -> String {
    switch order {
    case ...1: ""
    case 2: "second "
    case 3: "third "
    default: "\(order)th "
    }
  }

  /// What the event says first: `log(0) is -inf`, `division by zero: 1 / 0 = inf`, `overflow
  /// in exp: exp(100) = inf in f32`, `the derivative of sqrt at 0 is inf`.
  var headline: String {
    let v = Self.number(value)
    let f = Self.name(operation)
    guard let d = equation.provenance.derivation else {
      if isDivisionByZero { return "division by zero: \(formula) = \(v)" }
      if isOverflow { return overflow(in: "\(f)") }
      return "\(formula) is \(v)"
    }
    switch d.part {
    case .derivative:
      let at = primalOperands.map { " at " + $0.map(Self.number).joined(separator: ", ") } ?? ""
      return "the \(Self.ordinal(d.order))derivative of \(f)\(at) is \(v)"
    case .chainRule:
      let context = self.context ?? ""
      if isOverflow { return overflow(in: String(context.dropFirst(3))) }
      return "\(formula) = \(v) \(context)"
    }
  }

  /// `overflow in exp: exp(100) = inf in f32`; for an operation that is not elementwise,
  /// `overflow in dot_general of f32[2] and f32[2]: inf in f32`.
  private func overflow(in place: String) -> String {
    let v = "\(Self.number(value)) in \(dtype.rawValue)"
    return operands == nil
      ? "overflow in \(formula): \(v)" : "overflow in \(place): \(formula) = \(v)"
  }

  /// The label under the span: where in a derivative, which element, and the values the
  /// headline does not show (the derivative rule's computation, or the largest magnitudes
  /// of the operands of an operation that is not elementwise); `nil` when there is nothing.
  var label: String? {
    var place: [String] = []
    if let context, equation.provenance.derivation?.part == .derivative || isOverflow {
      place.append(context)
    }
    if !index.isEmpty {
      place.append("element [\(index.map(String.init).joined(separator: ", "))]")
    }
    var values: String?
    if operands == nil {
      let largest = operandMagnitudes.map(Self.number).joined(separator: ", ")
      values = "largest magnitude\(operandMagnitudes.count == 1 ? "" : "s") \(largest)"
    } else if equation.provenance.derivation?.part == .derivative {
      values = "\(formula) = \(Self.number(value))"
    }
    let prefix = place.joined(separator: ", ")
    guard let values else { return prefix.isEmpty ? nil : prefix }
    return prefix.isEmpty ? values : prefix + ": " + values
  }

  /// The equation at the element as nabla would write it (`0.5 / 0`, `sqrt(-1)`), or, for an
  /// equation that is not elementwise, with its operands' types (`sum of f32[3]`).
  var formula: String {
    let kind = equation.primitive.kind
    guard let operands else {
      let types = operandTypes.map(\.description).joined(separator: " and ")
      return "\(Self.name(kind)) of \(types)"
    }
    let x = operands.map(Self.number)
    let call = "\(Self.name(kind))(\(x.joined(separator: ", ")))"
    func infix(_ op: String) -> String { x.count == 2 ? "\(x[0]) \(op) \(x[1])" : call }
    switch equation.primitive {
    case .add: return infix("+")
    case .sub: return infix("-")
    case .mul: return infix("*")
    case .div: return infix("/")
    case .pow: return infix("^")
    case .compare(let c): return infix(Self.symbol(c))
    case .neg: return "-" + (x.first ?? "")
    case .convert(let dtype): return "\(dtype.rawValue)(\(x.joined(separator: ", ")))"
    case .exp, .log, .sin, .cos, .tan, .asin, .acos, .atan, .sinh, .cosh, .tanh, .asinh, .acosh,
      .atanh, .expm1, .log1p, .sqrt, .rsqrt, .cbrt, .abs, .sign, .floor, .ceil, .round, .erf, .erfc,
      .erfinv, .lgamma, .polygamma,
      .logistic, .softplus, .stopGradient, .atan2, .max, .min, .select, .broadcast, .reshape,
      .transpose,
      .slice, .pad,
      .reverse, .concatenate, .gather, .scatterAdd, .reduceSum, .reduceMax, .reduceMin, .reduceProd,
      .argsort, .argReduce, .takeAlongAxis, .scatterAddAlongAxis,
      .dotGeneral,
      .inverse, .determinant, .solve, .adjugate, .cholesky, .eigh, .qr, .svd, .pseudoInverse,
      .customJVP, .customVJP, .customVJPTangent:
      return call
    }
  }

  static func symbol(_ c: Primitive.Comparison) -> String {
    switch c {
    case .eq: "=="
    case .ne: "!="
    case .lt: "<"
    case .le: "<="
    case .gt: ">"
    case .ge: ">="
    }
  }

  /// The built-in a user writes for a primitive (`sigmoid` for `logistic`, `where` for
  /// `select`, `sum` for `reduce_sum`); the graph's name where there is none.
  static func name(_ kind: Primitive.Kind) -> String {
    switch kind {
    case .logistic: "sigmoid"
    case .select: "where"
    case .max: "maximum"
    case .min: "minimum"
    case .reduceSum: "sum"
    case .reduceMax: "max"
    case .reduceMin: "min"
    case .reduceProd: "prod"
    case .inverse: "inv"
    case .determinant: "det"
    case .neg, .exp, .log, .sin, .cos, .tan, .asin, .acos, .atan, .sinh, .cosh, .tanh, .asinh,
      .acosh, .atanh, .expm1, .log1p, .sqrt, .rsqrt, .cbrt, .abs, .sign, .floor, .ceil, .round,
      .erf, .erfc, .erfinv, .lgamma, .polygamma, .softplus, .stopGradient, .add, .sub, .mul, .div,
      .pow,
      .atan2, .compare, .convert, .broadcast,
      .reshape, .transpose, .slice, .pad, .reverse, .concatenate, .gather, .scatterAdd,
      .argsort, .argReduce, .takeAlongAxis, .scatterAddAlongAxis, .dotGeneral, .solve, .adjugate,
      .cholesky, .eigh, .qr, .svd, .pseudoInverse, .customJVP,
      .customVJP, .customVJPTangent:
      kind.rawValue
    }
  }
}
