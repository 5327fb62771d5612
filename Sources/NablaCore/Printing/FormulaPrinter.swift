/// A function value as a formula in nabla's own language, `x -> 2 * x * sin(x) + x^2 * cos(x)`:
/// the function is traced on symbolic arguments, its graph optimised, and the graph read back
/// as one expression. Sums and products are flattened (numbers first, `a + a` as `2 * a`,
/// `a * a` as `a^2`), parentheses only where precedence needs them. Pasted back, the formula
/// computes the same numbers. `nil` when the function cannot be written so (it returns a
/// tuple, uses an operation without a spelling here, or its formula would be very long).
public enum FormulaPrinter {
  /// Formulas longer than this are not printed.
  static let maximumLength = 2000

  /// The formula of `f` for arguments of the given types (scalars of the session's dtype
  /// when `nil`).
  public static func formula(
    of f: Function, argumentTypes: [TensorType]? = nil, in session: Session
  ) -> String? {
    guard let names = parameterNames(f),
      let (_, graph, result) = try? session.traceFunction(f, argumentTypes: argumentTypes),
      case .traced = result, graph.outputs.count == 1
    else { return nil }
    var printer = Printer(graph: graph)
    for (input, name) in zip(graph.inputs, names) { printer.text[input] = (name, .atom) }
    guard var body = printer.expression(graph.outputs[0]), body.text.count <= maximumLength
    else { return nil }
    if Int(body.text) != nil { body.text += ".0" }  // a constant function still gives a tensor
    let head = names.count == 1 ? names[0] : "(" + names.joined(separator: ", ") + ")"
    return head + " -> " + body.text
  }

  /// The names of `f`'s parameters: a definition's or lambda's, a built-in's required ones,
  /// a transform's base function's (for the transforms that keep its arguments).
  static func parameterNames(_ f: Function) -> [String]? {
    switch f.body {
    case .user(let p, _), .lambda(let p, _, _): return p
    case .builtin(let b):
      let required = b.parameters.filter { $0.defaultValue == nil && !$0.isVariadic }
      return required.isEmpty ? nil : required.map(\.name)
    case .transformed(let base, let transform):
      switch transform {
      case .grad, .jacobian, .hessian, .vmap: return parameterNames(base)
      case .pullback, .pushforward: return nil
      }
    }
  }

  /// How tightly an expression binds, loosest first, as the parser reads them.
  enum Precedence: Int, Comparable {
    case sum = 1, product, negation, power, atom
    static func < (a: Precedence, b: Precedence) -> Bool { a.rawValue < b.rawValue }
  }

  typealias Written = (text: String, precedence: Precedence)

  struct Printer {
    let graph: Graph
    var text: [Var: Written] = [:]
    let definitions: [Var: Equation]

    init(graph: Graph) {
      self.graph = graph
      var definitions: [Var: Equation] = [:]
      for eq in graph.equations { definitions[eq.output] = eq }
      self.definitions = definitions
    }

    mutating func expression(_ v: Var) -> Written? {
      if let known = text[v] { return known }
      let written: Written?
      if let c = graph.constants[v] {
        written = c.count == 1 ? Self.number(c[flat: 0]) : nil
      } else if let eq = definitions[v] {
        written = equation(eq)
      } else {
        written = nil
      }
      if let written {
        guard written.text.count <= FormulaPrinter.maximumLength else { return nil }
        text[v] = written
      }
      return written
    }

    /// A number as the shortest literal that reads back to it (float32 constants as float32).
    static func number(_ x: Double) -> Written {
      let text: String
      if x.isNaN {
        text = "nan"
      } else if x.isInfinite {
        text = x > 0 ? "inf" : "-inf"
      } else if x == x.rounded(), Swift.abs(x) < 1e15 {
        text = String(Int(x))
      } else if Double(Float(x)) == x {
        text = String(Float(x))
      } else {
        text = String(x)
      }
      return (text, text.hasPrefix("-") ? .negation : .atom)
    }

    /// `w`, in parentheses unless it binds at least as tightly as `needs`.
    static func wrap(_ w: Written, _ needs: Precedence) -> String {
      w.precedence >= needs ? w.text : "(" + w.text + ")"
    }

    /// The operand an equation passes through unchanged as far as a formula can tell: a
    /// broadcast of a scalar (or into unit axes), a reshape of one number, a sum over no axes,
    /// a conversion to the same dtype.
    private func passThrough(_ eq: Equation) -> Var? {
      guard let input = eq.inputs.first else { return nil }
      let (from, to) = (graph.type(of: input), graph.type(of: eq.output))
      if case .broadcast(_, let dims) = eq.primitive, dims.isEmpty || from.count == to.count {
        return input
      }
      if case .reshape = eq.primitive, to.count == 1 { return input }
      if case .reduceSum(let axes) = eq.primitive, axes.isEmpty { return input }
      if case .convert = eq.primitive, from.dtype == to.dtype { return input }
      return nil
    }

    private mutating func equation(_ eq: Equation) -> Written? {
      if let source = passThrough(eq) { return expression(source) }
      let type = graph.type(of: eq.output)
      switch eq.primitive {
      case .add, .sub:
        var terms: [Term] = []
        guard collectTerms(eq.output, sign: 1, into: &terms) else { return nil }
        let live = terms.filter { $0.coefficient != 0 }
        if live.count == 1, live[0].coefficient == 1, let body = live[0].body { return body }
        return (joinTerms(terms), .sum)
      case .mul, .neg:
        var factors: [Var] = []
        var coefficient = 1.0
        collectFactors(eq.output, into: &factors, coefficient: &coefficient)
        return product(factors, coefficient, elementwise: type.rank > 0)
      case .dotGeneral:
        // a product with a scalar; other contractions have no spelling here yet
        guard graph.type(of: eq.inputs[0]).rank == 0 || graph.type(of: eq.inputs[1]).rank == 0
        else { return nil }
        var factors: [Var] = []
        var coefficient = 1.0
        collectFactors(eq.inputs[0], into: &factors, coefficient: &coefficient)
        collectFactors(eq.inputs[1], into: &factors, coefficient: &coefficient)
        return product(factors, coefficient, elementwise: type.rank > 0)
      case .div:
        guard let a = expression(eq.inputs[0]), let b = expression(eq.inputs[1]) else {
          return nil
        }
        return (Self.wrap(a, .product) + " / " + Self.wrap(b, .power), .product)
      case .pow:
        guard let a = expression(eq.inputs[0]), let b = expression(eq.inputs[1]) else {
          return nil
        }
        return (Self.wrap(a, .atom) + "^" + Self.wrap(b, .power), .power)
      case .exp, .log, .sin, .cos, .tan, .asin, .acos, .atan, .sinh, .cosh, .tanh, .asinh,
        .acosh, .atanh, .expm1, .log1p, .sqrt, .rsqrt, .cbrt, .abs, .sign, .floor, .ceil,
        .round, .erf, .logistic, .atan2, .max, .min:
        // a function of one or two tensors with a built-in of the same name
        let name = Self.builtinName(eq.primitive)
        guard Builtins.table[name] != nil else { return nil }
        var arguments: [String] = []
        for input in eq.inputs {
          guard let a = expression(input) else { return nil }
          arguments.append(a.text)
        }
        return (name + "(" + arguments.joined(separator: ", ") + ")", .atom)
      case .compare, .select, .convert, .broadcast, .reshape, .transpose, .slice, .pad,
        .reverse, .concatenate, .reduceSum, .reduceMax, .reduceMin, .reduceProd, .inverse,
        .determinant, .solve:
        return nil  // no spelling in formulas yet (past the pass-throughs above)
      }
    }

    /// The built-in spelling of an elementwise primitive.
    static func builtinName(_ p: Primitive) -> String {
      p == .logistic ? "sigmoid" : p == .max ? "maximum" : p == .min ? "minimum" : p.kind.rawValue
    }

    /// A term of a sum: a number times a product of factors (`body` is their text, `nil` for
    /// the number alone).
    struct Term {
      var coefficient: Double
      var factors: [Var]
      var body: Written?
    }

    /// `c · f₁ · f₂ …` when the sum at `v` collects to a single term (`x + 2 * x` is `3 · x`).
    private mutating func singleTerm(_ v: Var) -> (Double, [Var])? {
      var terms: [Term] = []
      guard collectTerms(v, sign: 1, into: &terms) else { return nil }
      let live = terms.filter { $0.coefficient != 0 }
      return live.count == 1 ? (live[0].coefficient, live[0].factors) : nil
    }

    /// The terms of a sum, through nested additions, subtractions and negations, like terms
    /// (equal products of factors) collected: `2 * x + 2 * (2 * x)` is `6 * x`.
    private mutating func collectTerms(_ v: Var, sign: Double, into terms: inout [Term]) -> Bool {
      if let eq = definitions[v], graph.constants[v] == nil {
        if eq.primitive == .add || eq.primitive == .sub {
          return collectTerms(eq.inputs[0], sign: sign, into: &terms)
            && collectTerms(
              eq.inputs[1], sign: eq.primitive == .sub ? -sign : sign, into: &terms)
        }
        if eq.primitive == .neg { return collectTerms(eq.inputs[0], sign: -sign, into: &terms) }
      }
      var factors: [Var] = []
      var coefficient = sign
      collectFactors(v, into: &factors, coefficient: &coefficient)
      var body: Written?
      if !factors.isEmpty {
        guard let b = product(factors, 1, elementwise: graph.type(of: v).rank > 0) else {
          return false
        }
        body = b
      }
      let key = factors.sorted()
      if let i = terms.firstIndex(where: { $0.factors == key }) {
        terms[i].coefficient += coefficient
      } else {
        terms.append(Term(coefficient: coefficient, factors: key, body: body))
      }
      return true
    }

    /// The terms joined by `+` and `-`, numbers last, but a positive term first when there is
    /// one (`1 - tanh(x)^2`, not `-tanh(x)^2 + 1`).
    private func joinTerms(_ terms: [Term]) -> String {
      var out = ""
      var ordered = (terms.filter { $0.body != nil } + terms.filter { $0.body == nil })
        .filter { $0.coefficient != 0 }
      if let first = ordered.first, first.coefficient < 0,
        let positive = ordered.firstIndex(where: { $0.coefficient > 0 })
      {
        ordered.insert(ordered.remove(at: positive), at: 0)
      }
      for term in ordered {
        let magnitude = Swift.abs(term.coefficient)
        var text: String
        if let body = term.body {
          text = magnitude == 1 ? body.text : Self.number(magnitude).text + " * " + body.text
        } else {
          text = Self.number(magnitude).text
        }
        if out.isEmpty {
          out = term.coefficient < 0 ? "-" + text : text
        } else {
          out += term.coefficient < 0 ? " - " + text : " + " + text
        }
      }
      return out.isEmpty ? "0" : out
    }

    /// The factors of a product, through nested products and negations, numbers multiplied
    /// into `coefficient`.
    private mutating func collectFactors(
      _ v: Var, into factors: inout [Var], coefficient: inout Double
    ) {
      if let c = graph.constants[v], c.count == 1 {
        coefficient *= c[flat: 0]
        return
      }
      if let eq = definitions[v] {
        if let source = passThrough(eq) {
          return collectFactors(source, into: &factors, coefficient: &coefficient)
        }
        if eq.primitive == .mul {
          collectFactors(eq.inputs[0], into: &factors, coefficient: &coefficient)
          return collectFactors(eq.inputs[1], into: &factors, coefficient: &coefficient)
        }
        if eq.primitive == .neg {
          coefficient = -coefficient
          return collectFactors(eq.inputs[0], into: &factors, coefficient: &coefficient)
        }
        if eq.primitive == .add || eq.primitive == .sub, let (c, fs) = singleTerm(v) {
          coefficient *= c
          factors += fs
          return
        }
      }
      factors.append(v)
    }

    /// `c * a * b^2 …`: equal factors as powers, the number first; `.*` between tensors.
    private mutating func product(_ factors: [Var], _ coefficient: Double, elementwise: Bool)
      -> Written?
    {
      var parts: [String] = []
      var seen: [Var] = []
      for f in factors where !seen.contains(f) {
        seen.append(f)
        guard let a = expression(f) else { return nil }
        let count = factors.filter { $0 == f }.count
        if factors.count == 1 && coefficient == 1 { return a }
        parts.append(count == 1 ? Self.wrap(a, .power) : Self.wrap(a, .atom) + "^\(count)")
      }
      if parts.isEmpty { return Self.number(coefficient) }
      let body = parts.joined(separator: elementwise ? " .* " : " * ")
      if coefficient == 1 { return (body, parts.count == 1 ? .power : .product) }
      if coefficient == -1 { return ("-" + body, .negation) }  // -a * b is (-a) * b
      let c = Self.number(coefficient)
      return (c.text + " * " + body, c.precedence == .negation ? .negation : .product)
    }
  }
}
