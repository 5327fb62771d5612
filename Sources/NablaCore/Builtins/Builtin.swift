/// A function nabla provides: its signature, its documentation and its implementation.
///
/// The implementation receives bound ``Arguments`` and emits graph equations through the
/// ``Tracer``, so built-ins compose with everything else a statement computes.
public struct Builtin: Sendable {
  public let name: String
  public let parameters: [Parameter]
  /// Alternative keyword spellings (`axis` for `dim`, `keepdims` for `keepdim`).
  public let aliases: [String: String]
  /// One line for `:help` and the language reference.
  public let summary: String
  /// A one-line example program.
  public let example: String
  /// Untyped `throws` because closure literals do not infer typed throws; every error an
  /// implementation throws is a ``Diagnostic`` (``Tracer/call`` checks).
  let implementation: @Sendable (Tracer, Arguments) throws -> Value

  init(
    _ name: String, _ parameters: [Parameter], aliases: [String: String] = [:],
    summary: String, example: String,
    _ implementation: @escaping @Sendable (Tracer, Arguments) throws -> Value
  ) {
    self.name = name
    self.parameters = parameters
    self.aliases = aliases
    self.summary = summary
    self.example = example
    self.implementation = implementation
  }

  /// `sum(a, dim=None, keepdim=False)`, `gelu(x, approximate="none")`.
  public var signature: String {
    let params = parameters.map { p in
      if p.isVariadic { return "\(p.name)…" }
      guard let d = p.defaultValue else { return p.name }
      return "\(p.name)=\(Self.defaultText(d))"
    }
    return "\(name)(\(params.joined(separator: ", ")))"
  }

  /// A default value as it would be written: strings quoted, as Python's `help` shows them.
  private static func defaultText(_ v: Value) -> String {
    switch v {
    case .string(let s): return "\"\(s)\""
    case .tuple(let items):
      return "(" + items.map(defaultText).joined(separator: ", ") + (items.count == 1 ? ",)" : ")")
    default: return ValueFormatter.shortText(v)
    }
  }
}

/// One parameter of a ``Builtin``.
public struct Parameter: Sendable {
  public let name: String
  /// `nil` for a required parameter.
  public let defaultValue: Value?
  /// Collects the remaining positional arguments (a shape given as `zeros(2, 3)`).
  public let isVariadic: Bool
  /// For a variadic parameter: a single tuple argument is taken as the whole list
  /// (`zeros((2, 3))`), unless each argument is a value in its own right (the primals of
  /// `vjp(f, (a, b))` are one tuple).
  public let unpacksTuple: Bool

  public static func required(_ name: String) -> Parameter {
    Parameter(name: name, defaultValue: nil, isVariadic: false, unpacksTuple: false)
  }

  public static func optional(_ name: String, _ value: Value = .none) -> Parameter {
    Parameter(name: name, defaultValue: value, isVariadic: false, unpacksTuple: false)
  }

  public static func variadic(_ name: String, unpacksTuple: Bool = true) -> Parameter {
    Parameter(name: name, defaultValue: .tuple([]), isVariadic: true, unpacksTuple: unpacksTuple)
  }
}

/// The arguments of one call, bound to parameter names, with where each came from.
public struct Arguments {
  public let function: String
  public let callRange: SourceRange
  private var values: [String: (value: Value, range: SourceRange)] = [:]
  unowned let tracer: Tracer

  /// Binds positional and keyword arguments to `builtin`'s parameters, as Python does.
  init(
    binding positional: [(Value, SourceRange)], keywords: [(String, Value, SourceRange)],
    to builtin: Builtin, callRange: SourceRange, tracer: Tracer
  ) throws(Diagnostic) {
    self.function = builtin.name
    self.callRange = callRange
    self.tracer = tracer
    var rest = positional[...]
    var given = Set<String>()
    for p in builtin.parameters {
      if p.isVariadic {
        var items = Array(rest)
        rest = []
        if p.unpacksTuple, items.count == 1, case .tuple(let inner) = items[0].0 {
          items = inner.map { ($0, items[0].1) }
        }
        let range =
          items.first.map { items.dropFirst().reduce($0.1) { $0.merged(with: $1.1) } } ?? callRange
        values[p.name] = (.tuple(items.map(\.0)), range)
        if !items.isEmpty { given.insert(p.name) }
      } else if let (v, r) = rest.first {
        rest = rest.dropFirst()
        values[p.name] = (v, r)
        given.insert(p.name)
      }
    }
    if let (_, extra) = rest.first {
      throw Diagnostic(
        .argumentCount(builtin.name, expected: Self.arityText(builtin), got: positional.count),
        at: extra)
    }
    let names = builtin.parameters.map(\.name)
    for (label, v, r) in keywords {
      let name = builtin.aliases[label] ?? label
      guard names.contains(name) else {
        let suggestion = Suggestions.nearest(to: label, in: names + builtin.aliases.keys)
        throw Diagnostic(
          .unknownKeyword(label, function: builtin.name, suggestion: suggestion), at: r)
      }
      guard given.insert(name).inserted else { throw Diagnostic(.keywordTwice(name), at: r) }
      values[name] = (v, r)
    }
    for p in builtin.parameters where values[p.name] == nil {
      guard let d = p.defaultValue else {
        throw Diagnostic(
          .argumentCount(
            builtin.name, expected: Self.arityText(builtin), got: positional.count + keywords.count),
          at: callRange)
      }
      values[p.name] = (d, callRange)
    }
  }

  private static func arityText(_ b: Builtin) -> String {
    let required = b.parameters.filter { $0.defaultValue == nil }.count
    if b.parameters.contains(where: \.isVariadic) { return "\(required) or more arguments" }
    let total = b.parameters.count
    let plural = total == 1 ? "" : "s"
    return required == total ? "\(total) argument\(plural)" : "\(required) to \(total) arguments"
  }

  // MARK: - Accessors

  public func value(_ name: String) -> Value { values[name]?.value ?? .none }
  public func range(_ name: String) -> SourceRange { values[name]?.range ?? callRange }

  public func isNone(_ name: String) -> Bool {
    if case .none = value(name) { return true }
    return false
  }

  /// The argument as a tensor (integers and booleans become tensors of the default dtype).
  public func tensor(_ name: String) throws(Diagnostic) -> Traced {
    try tracer.asTraced(value(name), range(name), context: "'\(function)' argument '\(name)'")
  }

  /// The argument as a static integer.
  public func int(_ name: String) throws(Diagnostic) -> Int {
    try tracer.staticInt(value(name), range(name), context: "'\(function)' argument '\(name)'")
  }

  public func optionalInt(_ name: String) throws(Diagnostic) -> Int? {
    isNone(name) ? nil : try int(name)
  }

  /// The argument as a static real number.
  public func double(_ name: String) throws(Diagnostic) -> Double {
    try tracer.staticDouble(value(name), range(name), context: "'\(function)' argument '\(name)'")
  }

  public func bool(_ name: String) throws(Diagnostic) -> Bool {
    switch value(name) {
    case .bool(let b): return b
    case .int(let n): return n != 0
    default:
      throw Diagnostic(
        .wrongType(
          "'\(function)' argument '\(name)'", expected: "True or False",
          got: value(name).typeDescription),
        at: range(name))
    }
  }

  public func string(_ name: String) throws(Diagnostic) -> String {
    guard case .string(let s) = value(name) else {
      throw Diagnostic(
        .wrongType(
          "'\(function)' argument '\(name)'", expected: "a string", got: value(name).typeDescription
        ),
        at: range(name))
    }
    return s
  }

  /// A list of static integers: one integer, a tuple of them, a list literal of whole numbers
  /// (a constant vector), or (for variadic parameters) the collected arguments.
  public func ints(_ name: String) throws(Diagnostic) -> [Int] {
    let context = "'\(function)' argument '\(name)'"
    func integers(_ v: Value) throws(Diagnostic) -> [Int] {
      if case .traced(let x) = v, x.type.rank == 1, let values = tracer.constantWholeNumbers(x) {
        return values
      }
      return [try tracer.staticInt(v, range(name), context: context)]
    }
    switch value(name) {
    case .tuple(let items) where items.count == 1: return try integers(items[0])
    case .tuple(let items):
      var out: [Int] = []
      for item in items { out.append(try tracer.staticInt(item, range(name), context: context)) }
      return out
    case let v: return try integers(v)
    }
  }

  /// An optional list of axes (`dim=None` means all of them).
  public func optionalInts(_ name: String) throws(Diagnostic) -> [Int]? {
    isNone(name) ? nil : try ints(name)
  }

  /// A shape: non-negative sizes with an element count that fits memory arithmetic.
  public func shape(_ name: String) throws(Diagnostic) -> [Int] {
    let dims = try ints(name)
    try tracer.checkShape(dims, range(name))
    return dims
  }

  /// A float dtype named by a string (`"f64"`, `"float64"`) or by its conversion function
  /// (`float64`), or the session default.
  public func dtype(_ name: String) throws(Diagnostic) -> DType {
    if isNone(name) { return tracer.defaultDType }
    let type = try elementType(name)
    guard type.kind == .float else {
      throw Diagnostic(
        .invalidArgument(
          function, "needs a float dtype, not \(type.name)", help: "use float32 or float64"),
        at: range(name))
    }
    return type.storage
  }

  /// A dtype of any kind, named as ``dtype(_:)`` reads one (`"int64"`, `bool`), or the
  /// session's default float dtype.
  public func elementType(_ name: String) throws(Diagnostic) -> ElementType {
    if isNone(name) { return ElementType(.float, tracer.defaultDType) }
    let text: String
    switch value(name) {
    case .function(let f) where Builtins.dtypeNames.contains(f.name): text = f.name
    default: text = try string(name)
    }
    guard let type = ElementType(name: text) else {
      throw Diagnostic(
        .invalidArgument(
          function, "unknown dtype '\(text)'", help: "use float32, float64, int64 or bool"),
        at: range(name))
    }
    return type
  }

  /// A tuple of tensors (`concat((a, b))`).
  public func tensors(_ name: String) throws(Diagnostic) -> [Traced] {
    guard case .tuple(let items) = value(name) else { return [try tensor(name)] }
    var out: [Traced] = []
    for item in items {
      out.append(
        try tracer.asTraced(item, range(name), context: "'\(function)' argument '\(name)'"))
    }
    return out
  }

  public func function(_ name: String) throws(Diagnostic) -> Function {
    guard case .function(let f) = value(name) else {
      // `grad(f(x))`: the value of a call where its function was meant
      let text = range(name).file.text(of: range(name))
      var help: String?
      if let open = text.firstIndex(of: "("), text.hasSuffix(")"), open > text.startIndex {
        let callee = text[..<open]
        let arguments = text[text.index(after: open)..<text.index(before: text.endIndex)]
        if callee.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
          help =
            "'\(function)' takes the function '\(callee)', not its value '\(text)': "
            + "write \(function)(\(callee))(\(arguments))"
        }
      }
      throw Diagnostic(
        .notAFunction(value(name).typeDescription, help: help), at: range(name))
    }
    return f
  }
}
