/// A function value as a formula in nabla's own language, `x -> 2 * x * sin(x) + x^2 * cos(x)`
/// or, for tensors, `(W, b, x) -> reshape(1 - tanh(W * x + b)^2, 16, 1) .* W`: the function is
/// traced on symbolic arguments, its graph optimised, and the graph read back as one
/// expression. Sums and products are flattened (numbers first, `a + a` as `2 * a`, `a * a` as
/// `a^2`), parentheses only where precedence needs them, broadcasts left to NumPy's rules where
/// they suffice, the session's tensors called by their names. A subexpression the formula
/// would repeat becomes a local definition on a line before it (`t(x) = tanh(W * x + b)`).
/// Pasted back, the formula computes the same numbers. `nil` when the function cannot be
/// written so (it returns a tuple, uses an operation without a spelling here, or its formula
/// would be very long).
public enum FormulaPrinter {
  /// Formulas longer than this are not printed.
  static let maximumLength = 2000
  /// A repeated subexpression at least this long becomes a local definition.
  static let shortestDefinition = 12

  /// The formula of `f` for arguments of the given types (scalars of the session's dtype
  /// when `nil`).
  public static func formula(
    of f: Function, argumentTypes: [TensorType]? = nil, in session: Session
  ) -> String? {
    guard let names = parameterNames(f),
      let (_, graph, result) = try? session.traceFunction(f, argumentTypes: argumentTypes),
      case .traced = result, graph.outputs.count == 1
    else { return nil }
    // the session's tensors by their own names (not `ans`, `_`, `_3`: printing rebinds them)
    let captured = session.bindingOrder.compactMap { name -> (String, Tensor)? in
      guard !names.contains(name), !Session.isResultName(name),
        case .tensor(let t)? = session.bindings[name]
      else { return nil }
      return (name, t)
    }
    let head = names.count == 1 ? names[0] : "(" + names.joined(separator: ", ") + ")"
    let output = graph.outputs[0]

    var printer = Printer(graph: graph, parameters: names, captured: captured)
    guard let written = printer.exact(output) else { return nil }
    var lines = [head + " -> " + bodyText(written)]
    // repeated calls become local definitions, the longest first (a repeat inside one that
    // was named is no longer repeated)
    var taken = Set(names + session.bindingOrder + Builtins.names + Constants.names)
    let candidates = printer.text.filter { v, w in
      w.precedence == .atom && w.text.count >= shortestDefinition && w.text.hasSuffix(")")
        && graph.constants[v] == nil && !graph.inputs.contains(v)
    }.sorted { ($0.value.text.count, $1.key) > ($1.value.text.count, $0.key) }
    for (v, w) in candidates {
      guard lines.map({ occurrences(of: w.text, in: $0).count }).reduce(0, +) > 1 else {
        continue
      }
      let used = printer.parameters(reaching: v)
      guard !used.isEmpty, let name = localName(avoiding: &taken) else { continue }
      let call = name + "(" + used.joined(separator: ", ") + ")"
      lines = lines.map { replacing(w.text, with: call, in: $0) }
      lines.insert(call + " = " + w.text, at: lines.count - 1)
    }
    return lines.joined(separator: "\n")
  }

  /// Where `text` occurs in `line` as a whole subexpression: not the tail of a longer name
  /// (`tanh(…)` inside `atanh(…)`).
  static func occurrences(of text: String, in line: String) -> [Range<String.Index>] {
    var found: [Range<String.Index>] = []
    var i = line.startIndex
    var before: Character?
    while i < line.endIndex {
      if line[i...].hasPrefix(text),
        !(before.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false),
        let end = line.index(i, offsetBy: text.count, limitedBy: line.endIndex)
      {
        found.append(i..<end)
        before = line[line.index(before: end)]
        i = end
      } else {
        before = line[i]
        i = line.index(after: i)
      }
    }
    return found
  }

  /// `line` with each occurrence of `text` replaced by `call`.
  static func replacing(_ text: String, with call: String, in line: String) -> String {
    var out = line
    for r in occurrences(of: text, in: line).reversed() { out.replaceSubrange(r, with: call) }
    return out
  }

  /// The text of a body: a constant function still gives a tensor (`x -> 0.0`, not `x -> 0`).
  static func bodyText(_ w: Written) -> String {
    Int(w.text) != nil ? w.text + ".0" : w.text
  }

  /// `t`, `u`, `s`, … then `t1`, `t2`, …: the first not in `taken`, which it joins.
  static func localName(avoiding taken: inout Set<String>) -> String? {
    let candidates = ["t", "u", "s", "r", "q", "p"] + (1...99).map { "t\($0)" }
    guard let name = candidates.first(where: { !taken.contains($0) }) else { return nil }
    taken.insert(name)
    return name
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
      case .grad, .jacobian, .hessian, .sparsity, .vmap, .customJVP, .customVJP:
        return parameterNames(base)
      case .pullback, .pushforward: return nil
      }
    }
  }

  /// How tightly an expression binds, loosest first, as the parser reads them.
  enum Precedence: Int, Comparable {
    case comparison = 0, sum, product, negation, power, atom
    static func < (a: Precedence, b: Precedence) -> Bool { a.rawValue < b.rawValue }
  }

  /// Text of an expression, how tightly it binds, and the shape it evaluates to: that of its
  /// graph value, or a smaller one that broadcasts to it by NumPy's rules (`1` for a tensor
  /// of ones, `reshape(v, 3, 1)` for a column broadcast across a matrix).
  struct Written {
    var text: String
    var precedence: Precedence
    var shape: [Int]
  }

  /// `w`, in parentheses unless it binds at least as tightly as `needs`.
  static func wrap(_ w: Written, _ needs: Precedence) -> String {
    w.precedence >= needs ? w.text : "(" + w.text + ")"
  }

  /// The shape NumPy broadcasting gives operands of these shapes (they are compatible: they
  /// come from one graph).
  static func broadcastShape(_ shapes: [[Int]]) -> [Int] {
    let rank = shapes.map(\.count).max() ?? 0
    var out = Array(repeating: 1, count: rank)
    for s in shapes {
      for (i, n) in s.enumerated() where n != 1 { out[rank - s.count + i] = n }
    }
    return out
  }

  /// `(2, 3)`, `(3,)`, `()`: a shape as a tuple literal.
  static func tupleText(_ values: [Int]) -> String {
    values.count == 1
      ? "(\(values[0]),)" : "(" + values.map(String.init).joined(separator: ", ") + ")"
  }
}
