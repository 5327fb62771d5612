extension FormulaPrinter.Printer {
  typealias Written = FormulaPrinter.Written

  /// A term of a sum: a number times a product of factors (`body` is their text, `nil` for
  /// the number alone).
  struct Term {
    var coefficient: Double
    var factors: [Var]
    var body: Written?
  }

  /// A sum, its like terms collected; the term alone when one remains with coefficient 1.
  mutating func sum(_ v: Var) -> Written? {
    var terms: [Term] = []
    guard collectTerms(v, sign: 1, into: &terms) else { return nil }
    let live = terms.filter { $0.coefficient != 0 }
    if live.count == 1, live[0].coefficient == 1, let body = live[0].body { return body }
    let shape = FormulaPrinter.broadcastShape(live.compactMap { $0.body?.shape })
    return Written(text: joinTerms(live), precedence: .sum, shape: shape)
  }

  /// A product, its numbers multiplied into one coefficient and equal factors as powers.
  mutating func product(of vs: [Var]) -> Written? {
    var factors: [Var] = []
    var coefficient = 1.0
    for v in vs { collectFactors(v, into: &factors, coefficient: &coefficient) }
    return product(factors, coefficient)
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
    guard step() else { return false }
    if let eq = definitions[v] {
      if eq.primitive == .add || eq.primitive == .sub {
        return collectTerms(eq.inputs[0], sign: sign, into: &terms)
          && collectTerms(eq.inputs[1], sign: eq.primitive == .sub ? -sign : sign, into: &terms)
      }
      if eq.primitive == .neg { return collectTerms(eq.inputs[0], sign: -sign, into: &terms) }
      if let source = passThrough(eq) { return collectTerms(source, sign: sign, into: &terms) }
    }
    var factors: [Var] = []
    var coefficient = sign
    collectFactors(v, into: &factors, coefficient: &coefficient)
    var body: Written?
    if !factors.isEmpty {
      guard let b = product(factors, 1) else {
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

  /// The terms joined by `+` and `-`, plain names and then numbers last (`W * x + b`), but a
  /// positive term first when there is one (`1 - tanh(x)^2`, not `-tanh(x)^2 + 1`).
  private func joinTerms(_ terms: [Term]) -> String {
    var out = ""
    func isName(_ t: Term) -> Bool {
      t.body?.text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } ?? false
    }
    var ordered =
      terms.filter { $0.body != nil && !isName($0) } + terms.filter(isName)
      + terms.filter { $0.body == nil }
    if let first = ordered.first, first.coefficient < 0,
      let positive = ordered.firstIndex(where: { $0.coefficient > 0 })
    {
      ordered.insert(ordered.remove(at: positive), at: 0)
    }
    for term in ordered {
      let magnitude = Swift.abs(term.coefficient)
      var text: String
      if let body = term.body {
        let factor = FormulaPrinter.wrap(body, .product)  // `(x == 1)` in a sum
        text = magnitude == 1 ? factor : number(magnitude).text + " * " + factor
      } else {
        text = number(magnitude).text
      }
      if out.isEmpty {
        out = term.coefficient < 0 ? "-" + text : text
      } else {
        out += term.coefficient < 0 ? " - " + text : " + " + text
      }
    }
    return out.isEmpty ? "0" : out
  }

  /// The operand of an equation a product or sum may look through, NumPy's broadcasting
  /// making it implicit: a broadcast of a scalar, a reshape or broadcast of one number, a sum
  /// over no axes, a conversion to the same dtype.
  private func passThrough(_ eq: Equation) -> Var? {
    guard let input = eq.inputs.first else { return nil }
    let (from, to) = (graph.type(of: input), graph.type(of: eq.output))
    if case .broadcast(_, let dims) = eq.primitive, dims.isEmpty || to.count == 1 { return input }
    if case .reshape = eq.primitive, to.count == 1, from.rank <= to.rank { return input }
    if case .reduceSum(let axes) = eq.primitive, axes.isEmpty { return input }
    if case .convert = eq.primitive, from.dtype == to.dtype { return input }
    return nil
  }

  /// The factors of a product, through nested products, negations and broadcasts NumPy's
  /// rules make implicit; numbers (constants of one value) multiplied into `coefficient`.
  private mutating func collectFactors(
    _ v: Var, into factors: inout [Var], coefficient: inout Double
  ) {
    guard step() else { return }  // the product is then written nowhere: expression gives up
    if let u = uniformValue(v) {
      coefficient *= u
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

  /// `c * a * b^2 …`: equal factors as powers, the number first; `.*` when two factors are
  /// tensors (`*` would be their matrix product).
  private mutating func product(_ factors: [Var], _ coefficient: Double) -> Written? {
    guard !isExhausted else { return nil }  // the factors may be incomplete
    var parts: [String] = []
    var shapes: [[Int]] = []
    var seen: [Var] = []
    for f in factors where !seen.contains(f) {
      seen.append(f)
      guard let a = expression(f) else { return nil }
      let count = factors.filter { $0 == f }.count
      if factors.count == 1 && coefficient == 1 { return a }
      parts.append(
        count == 1
          ? FormulaPrinter.wrap(a, .power) : FormulaPrinter.wrap(a, .atom) + "^\(count)")
      shapes.append(a.shape)
    }
    if parts.isEmpty { return number(coefficient) }
    let shape = FormulaPrinter.broadcastShape(shapes)
    let body = parts.joined(separator: shapes.filter { !$0.isEmpty }.count > 1 ? " .* " : " * ")
    if coefficient == 1 {
      return Written(text: body, precedence: parts.count == 1 ? .power : .product, shape: shape)
    }
    if coefficient == -1 {  // -a * b is (-a) * b
      return Written(text: "-" + body, precedence: .negation, shape: shape)
    }
    let c = number(coefficient)
    return Written(
      text: c.text + " * " + body, precedence: c.precedence == .negation ? .negation : .product,
      shape: shape)
  }

  /// `name(a, b, …)` of operands written with broadcastable shapes.
  mutating func call(_ name: String, _ inputs: [Var]) -> Written? {
    var arguments: [Written] = []
    for input in inputs {
      guard let a = expression(input) else { return nil }
      arguments.append(a)
    }
    return Written(
      text: name + "(" + arguments.map(\.text).joined(separator: ", ") + ")", precedence: .atom,
      shape: FormulaPrinter.broadcastShape(arguments.map(\.shape)))
  }

  /// `a op b`: `op` (with its spaces) binds at `precedence`; the operands are wrapped as the
  /// parser needs: `a / (b * c)`, `(-x)^2`, `x^-1` as `x^(-1)`, comparisons never chained.
  mutating func infix(_ op: String, _ a: Var, _ b: Var, _ precedence: FormulaPrinter.Precedence)
    -> Written?
  {
    guard let x = expression(a), let y = expression(b) else { return nil }
    let (left, right): (FormulaPrinter.Precedence, FormulaPrinter.Precedence) =
      switch precedence {
      case .comparison: (.sum, .sum)
      case .power: (.atom, .power)
      case .sum, .product, .negation, .atom: (precedence, .power)
      }
    return Written(
      text: FormulaPrinter.wrap(x, left) + op + FormulaPrinter.wrap(y, right),
      precedence: precedence, shape: FormulaPrinter.broadcastShape([x.shape, y.shape]))
  }
}
