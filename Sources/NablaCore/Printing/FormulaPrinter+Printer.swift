extension FormulaPrinter {
  /// Reads a graph back as nabla text, value by value (each written once and remembered).
  struct Printer {
    let graph: Graph
    let definitions: [Var: Equation]
    /// The session's tensors by shape, to call a captured constant by its name.
    let captured: [[Int]: [(name: String, tensor: Tensor)]]
    /// The text of each value written so far.
    var text: [Var: Written] = [:]
    /// Whether the graph computes in float64 (its numbers are written with every digit).
    let wide: Bool
    /// Steps taken reading the graph: flattening sums and products looks through shared
    /// values again, which a graph of repeated shared sums makes exponential; past
    /// ``maximumSteps`` the printer gives up (no formula).
    var steps = 0
    static let maximumSteps = 200_000

    var isExhausted: Bool { steps > Self.maximumSteps }

    /// Counts a step; false once the budget is spent.
    mutating func step() -> Bool {
      steps += 1
      return steps <= Self.maximumSteps
    }

    init(graph: Graph, parameters: [String], captured: [(String, Tensor)]) {
      self.graph = graph
      var definitions: [Var: Equation] = [:]
      for eq in graph.equations { definitions[eq.output] = eq }
      self.definitions = definitions
      wide = graph.types.contains { $0.dtype == .f64 }
      self.captured = Dictionary(grouping: captured.map { (name: $0.0, tensor: $0.1) }) {
        $0.tensor.shape
      }
      for (input, name) in zip(graph.inputs, parameters) {
        text[input] = Written(text: name, precedence: .atom, shape: graph.type(of: input).shape)
      }
    }

    /// `v` written with a shape that broadcasts to its own.
    mutating func expression(_ v: Var) -> Written? {
      guard step() else { return nil }
      if let known = text[v] { return known }
      var written: Written?
      if let c = graph.constants[v] {
        written = constant(c)
      } else if let eq = definitions[v] {
        written = equation(eq)
      }
      guard let written, written.text.count <= FormulaPrinter.maximumLength, !isExhausted else {
        return nil
      }
      text[v] = written
      return written
    }

    /// `v` written with exactly its own shape (`broadcast_to` where NumPy's rules would
    /// leave it smaller).
    mutating func exact(_ v: Var) -> Written? {
      guard let w = expression(v) else { return nil }
      let shape = graph.type(of: v).shape
      if w.shape == shape { return w }
      return Written(
        text: "broadcast_to(\(w.text), \(FormulaPrinter.tupleText(shape)))", precedence: .atom,
        shape: shape)
    }

    /// The parameters `v` depends on, in order.
    func parameters(reaching v: Var) -> [String] {
      var reached = Set<Var>()
      var stack = [v]
      while let u = stack.popLast() {
        guard reached.insert(u).inserted else { continue }
        stack += definitions[u]?.inputs ?? []
      }
      return graph.inputs.filter(reached.contains).compactMap { text[$0]?.text }
    }

    /// A constant: a number when all its elements are equal, the name of the session's
    /// tensor it is, or a literal when small.
    func constant(_ t: Tensor) -> Written? {
      let values = t.doubles
      if let first = values.first, values.allSatisfy({ $0 == first || ($0.isNaN && first.isNaN) }) {
        return number(first)
      }
      if let name = captured[t.shape]?.first(where: { $0.tensor.doubles == values })?.name {
        return Written(text: name, precedence: .atom, shape: t.shape)
      }
      if let diagonal = diagonalMatrix(t) { return diagonal }
      guard t.count <= GraphPrinter.shownConstantCount else { return nil }
      return Written(text: t.nestedText { number($0).text }, precedence: .atom, shape: t.shape)
    }

    /// A square matrix zero off its diagonal (a Jacobian's basis and its multiples):
    /// `eye(n)`, `c * eye(n)`, or `diag([…])` when its diagonal is small.
    func diagonalMatrix(_ t: Tensor) -> Written? {
      guard t.shape.count == 2, t.shape[0] == t.shape[1] else { return nil }
      let n = t.shape[0]
      let values = t.doubles
      var diagonal: [Double] = []
      for i in 0..<n {
        for j in 0..<n where i != j && values[i * n + j] != 0 { return nil }
        diagonal.append(values[i * n + i])
      }
      if let first = diagonal.first, diagonal.allSatisfy({ $0 == first }) {
        let eye = "eye(\(n))"
        if first == 1 { return Written(text: eye, precedence: .atom, shape: t.shape) }
        let c = number(first)
        return Written(
          text: FormulaPrinter.wrap(c, .power) + " * " + eye, precedence: .product,
          shape: t.shape)
      }
      guard n <= GraphPrinter.shownConstantCount else { return nil }
      let items = diagonal.map { number($0).text }.joined(separator: ", ")
      return Written(text: "diag([\(items)])", precedence: .atom, shape: t.shape)
    }

    /// `x` as a literal of this graph's precision.
    func number(_ x: Double) -> Written { FormulaPrinter.number(x, wide: wide) }

    /// The one number a constant holds (all its elements equal), or `nil`.
    func uniformValue(_ v: Var) -> Double? {
      guard let c = graph.constants[v], let first = c.doubles.first,
        c.doubles.allSatisfy({ $0 == first })
      else { return nil }
      return first
    }
  }

  /// A number as the shortest literal that reads back to it: as float32 unless `wide` (a
  /// graph with float64 values, whose constants need every digit).
  static func number(_ x: Double, wide: Bool = false) -> Written {
    let text: String
    if x.isNaN {
      text = "nan"
    } else if x.isInfinite {
      text = x > 0 ? "inf" : "-inf"
    } else if x == x.rounded(), Swift.abs(x) < 1e15 {
      text = String(Int(x))
    } else if !wide, Double(Float(x)) == x {
      text = String(Float(x))
    } else {
      text = String(x)
    }
    return Written(text: text, precedence: text.hasPrefix("-") ? .negation : .atom, shape: [])
  }
}
