/// The catalog of every message nabla prints, in alphabetical order of the entry name.
///
/// Voice: lower case, no trailing period, code in quotes; the message says what
/// went wrong and the shapes involved, `help` says how to fix it.
extension DiagnosticMessage {
  /// `parameters`: a user function's parameter names, which the help lists (a built-in's
  /// are in its `:help`).
  static func argumentCount(
    _ function: String, expected: String, got: Int, parameters: [String]? = nil
  ) -> Self {
    .init(
      id: #function, "'\(function)' takes \(expected), got \(got)",
      help: parameters.map { "its parameters are (\($0.joined(separator: ", ")))" }
        ?? "see ':help \(function)' for its arguments")
  }

  static func assertionFailed(_ message: String?) -> Self {
    .init(id: #function, message.map { "assertion failed: \($0)" } ?? "assertion failed")
  }

  static func auxOutput(_ transform: String, got: String) -> Self {
    .init(
      id: #function,
      "'\(transform)' with has_aux=True needs a function returning (output, aux), got \(got)",
      help: "return a tuple of two values: what is differentiated, and what is passed through")
  }

  static func axisOutOfRange(_ axis: Int, rank: Int) -> Self {
    .init(
      id: #function, "axis \(axis) is out of range for a tensor of rank \(rank)",
      help: rank == 0
        ? "a 0-d tensor has no axes" : "axes run from \(-rank) to \(rank - 1)")
  }

  static func argnumsOutOfRange(_ argnum: Int, count: Int) -> Self {
    .init(
      id: #function,
      "argnums \(argnum) is out of range for a call with \(count) argument\(count == 1 ? "" : "s")",
      help: count == 0
        ? "the function was called without arguments" : "argnums counts from 0 to \(count - 1)")
  }

  static func badLiteral(_ text: String) -> Self {
    .init(id: #function, "malformed number '\(text)'", category: .syntax)
  }

  static func batchSizeMismatch(_ sizes: [Int]) -> Self {
    .init(
      id: #function,
      "vmap got inconsistent sizes for the mapped axes: \(sizes.map(String.init).joined(separator: ", "))",
      help: "every batched argument must have the same size along its in_dims axis")
  }

  static func cannotAssign(_ what: String) -> Self {
    .init(
      id: #function, "cannot assign to \(what)",
      help:
        "assign to a name ('x = …'), a tuple of names ('a, b = …') or define a function ('f(x) = …')",
      category: .syntax)
  }

  static func chainedComparison(suggestion: String?) -> Self {
    .init(
      id: #function, "comparison operators cannot be chained",
      help: suggestion.map { "comparisons do not chain; write \($0)" }
        ?? "comparisons do not chain; compare two operands at a time and multiply the results with '.*'",
      category: .syntax)
  }

  static func defineWithoutValue(_ name: String, lastStatement: String?) -> Self {
    .init(
      id: #function,
      lastStatement.map {
        "nothing to bind to '\(name)': the program ends with \($0), which has no value"
      } ?? "nothing to bind to '\(name)': the program is empty",
      help: "-D binds NAME to the value of the program's last statement; end it with an expression",
      category: .syntax)
  }

  static func destructureCount(names: Int, got: String) -> Self {
    .init(
      id: #function, "cannot unpack \(got) into \(names) names",
      help: "the names on the left are nested like the tuple on the right")
  }

  static func divisionByZero() -> Self {
    .init(id: #function, "integer division by zero")
  }

  static func duplicateParameter(_ name: String) -> Self {
    .init(id: #function, "parameter '\(name)' appears twice", category: .syntax)
  }

  static func emptyReduction(_ function: String) -> Self {
    .init(id: #function, "'\(function)' of an empty tensor has no value")
  }

  static func expectedExpression(found: String) -> Self {
    .init(id: #function, "expected an expression, found \(found)", category: .syntax)
  }

  static func unclosedDelimiter(_ opener: String, closer: String) -> Self {
    .init(
      id: #function, "unclosed '\(opener)'", help: "close it with '\(closer)'", category: .syntax)
  }

  static func compoundAssignment(_ op: String, target: String) -> Self {
    .init(
      id: #function, "nabla has no '\(op)='", help: "write \(target) = \(target) \(op) …",
      category: .syntax)
  }

  static func listWithoutCommas(found: String) -> Self {
    .init(
      id: #function, "expected ',' between list elements, found \(found)",
      help: "separate elements with commas: [1, 2, 3] (spaces do not, unlike MATLAB)",
      category: .syntax)
  }

  static func expectedToken(_ expected: String, found: String) -> Self {
    .init(id: #function, "expected \(expected), found \(found)", category: .syntax)
  }

  /// `--emit=stablehlo` met what StableHLO cannot express (or nabla does not lower yet).
  static func exportRefused(_ what: String, reason: String, help: String? = nil) -> Self {
    .init(id: #function, "cannot export \(what) as StableHLO: \(reason)", help: help)
  }

  static func fileError(_ path: String, _ reason: String, help: String? = nil) -> Self {
    .init(id: #function, "cannot read '\(path)': \(reason)", help: help)
  }

  static func fileWriteError(_ path: String, _ reason: String, help: String? = nil) -> Self {
    .init(id: #function, "cannot write '\(path)': \(reason)", help: help)
  }

  static func filesDisabled() -> Self {
    .init(id: #function, "file access is disabled in this session")
  }

  static func incompatibleShapes(_ op: String, _ a: TensorType, _ b: TensorType) -> Self {
    .init(
      id: #function, "cannot \(op) \(a) and \(b): shapes do not broadcast",
      help: "operands must have equal shapes, or shapes that broadcast (NumPy rules)")
  }

  static func gradientCheckFailed(_ detail: String, eps: Double) -> Self {
    .init(
      id: #function, "'gradcheck' failed in \(detail)",
      help:
        "central differences (eps=\(eps), in float64) disagree with nabla's derivative; near a kink, jump or domain edge they mislead: move the point or change eps, and atol/rtol loosen the check"
    )
  }

  static func gradOutput(_ transform: String, got: String) -> Self {
    .init(
      id: #function, "'\(transform)' needs a function returning one scalar, got \(got)",
      help: "use jacrev for several outputs, or has_aux=True to return (output, aux)")
  }

  static func indexOutOfRange(_ index: Int, size: Int, axis: Int) -> Self {
    .init(
      id: #function, "index \(index) is out of range for axis \(axis) of size \(size)",
      help: size == 0 ? "the axis is empty" : "valid indices run from \(-size) to \(size - 1)")
  }

  static func integerOverflow(_ op: String) -> Self {
    .init(id: #function, "integer overflow in '\(op)'")
  }

  static func internalError(_ what: String) -> Self {
    .init(id: #function, "\(what) (this is a bug)", category: .internal)
  }

  static func interrupted() -> Self {
    .init(id: #function, "interrupted")
  }

  static func invalidArgument(_ function: String, _ what: String, help: String? = nil) -> Self {
    .init(id: #function, "'\(function)': \(what)", help: help)
  }

  static func invalidGraph(_ what: String) -> Self {
    .init(id: #function, "invalid graph: \(what) (this is a bug)", category: .internal)
  }

  static func invalidShape(_ what: String) -> Self {
    .init(id: #function, "invalid shape: \(what)")
  }

  static func keywordTwice(_ name: String) -> Self {
    .init(id: #function, "keyword argument '\(name)' is given twice")
  }

  static func matmulMismatch(_ a: TensorType, _ b: TensorType, _ k1: Int, _ k2: Int) -> Self {
    .init(
      id: #function,
      "cannot multiply \(a) by \(b): inner dimensions differ (\(k1) vs \(k2))",
      help:
        "the left operand has \(k1) columns but the right one has \(k2) rows; '.*' is the elementwise product"
    )
  }

  static func memoryLimitExceeded(bytes: Int, limit: Int) -> Self {
    .init(
      id: #function,
      "this needs \(ByteCount.text(bytes)) of memory, more than the limit of \(ByteCount.text(limit))",
      help:
        "raise the limit to --max-memory \(MemoryRefusal.optionText(MemoryRefusal.rounded(bytes))) "
        + "or more, or work on smaller tensors")
  }

  static func memoryPlanOverLimit(_ refusal: MemoryRefusal) -> Self {
    .init(id: #function, refusal.text, help: refusal.help)
  }

  static func needsTensors(_ transform: String, got: String) -> Self {
    .init(id: #function, "'\(transform)' differentiates tensors, got \(got)")
  }

  static func nestingTooDeep(limit: Int) -> Self {
    .init(
      id: #function, "expression nested more than \(limit) levels deep",
      help: "split it into smaller statements", category: .syntax)
  }

  static func nonScalarGradient(_ transform: String, _ type: TensorType) -> Self {
    .init(
      id: #function, "'\(transform)' needs a scalar output; this function returns \(type)",
      help: "reduce it first, e.g. grad(x -> sum(f(x))), or use jacrev for the full Jacobian")
  }

  static func nonFiniteSearchTooLarge(bytes: Int, limit: Int) -> Self {
    .init(
      id: #function,
      "the result is not finite, and finding where it became so needs \(ByteCount.text(bytes)) of memory, more than the limit of \(ByteCount.text(limit))",
      help: "raise the limit with --max-memory to find it, or run without --check-nans")
  }

  /// `--check-nans`: a statement's result is NaN or ±∞ because of `what` (the first operation
  /// that made such a value from finite operands).
  static func nonFiniteValue(_ what: String, help: String) -> Self {
    .init(id: #function, what, help: help)
  }

  static func notAFunction(_ what: String, help: String? = nil) -> Self {
    .init(id: #function, "\(what) is not a function", help: help)
  }

  static func notATensor(_ what: String, in context: String, help: String? = nil) -> Self {
    .init(id: #function, "\(context) needs a tensor, got \(what)", help: help)
  }

  static func notAnInteger(_ what: String, in context: String) -> Self {
    .init(
      id: #function, "\(context) needs an integer known before evaluation, got \(what)",
      help: "sizes, axes and indices are whole numbers such as 3 or -1")
  }

  static func notCallableHere(_ what: String) -> Self {
    .init(id: #function, "\(what) cannot be used here")
  }

  static func primitiveTypeError(primitive: String, detail: String) -> Self {
    .init(id: #function, "\(primitive): \(detail) (this is a bug)", category: .internal)
  }

  static func noBatchedArgument() -> Self {
    .init(
      id: #function, "vmap needs at least one batched argument",
      help: "in_dims is None for every argument; give the axis to map over, e.g. in_dims=0")
  }

  static func outDimsNoneForBatchedOutput(_ output: Int) -> Self {
    .init(
      id: #function,
      "'vmap': out_dims is None for output \(output), which depends on the mapped arguments",
      help:
        "give the axis where the batch goes, e.g. out_dims=0; None is for outputs the same for every item"
    )
  }

  static func programTooLarge(limit: Int) -> Self {
    .init(id: #function, "program is longer than \(limit) bytes", category: .syntax)
  }

  static func recursionTooDeep(_ name: String, limit: Int) -> Self {
    .init(
      id: #function, "calls to '\(name)' nested more than \(limit) deep",
      help:
        "nabla functions are expanded when called, so recursion never ends; write it with tensor operations"
    )
  }

  static func shapeMismatch(_ what: String) -> Self {
    .init(id: #function, what)
  }

  static func sizeOverflow(_ shape: String) -> Self {
    .init(id: #function, "shape \(shape) has too many elements")
  }

  static func statementSeparator(found: String) -> Self {
    .init(
      id: #function, "expected ';' or a newline between statements, found \(found)",
      category: .syntax)
  }

  static func structureMismatch(
    _ transform: String, _ what: String, _ matched: String, expected: String, got: String
  ) -> Self {
    .init(
      id: #function,
      "'\(transform)': \(what) are structured as \(got), \(matched) as \(expected)",
      help:
        "give one tensor of the same shape for each tensor of \(matched), in tuples nested alike")
  }

  static func tangentMismatch(_ what: String, help: String) -> Self {
    .init(id: #function, what, help: help)
  }

  static func tooManyCalls(limit: Int) -> Self {
    .init(
      id: #function, "this statement expands more than \(limit) function calls",
      help: "nabla expands functions where they are called; restructure the definitions")
  }

  static func tooManyIndices(_ count: Int, rank: Int) -> Self {
    .init(id: #function, "too many indices: \(count) for a tensor of rank \(rank)")
  }

  static func transformOutput(_ transform: String, got: String) -> Self {
    .init(
      id: #function,
      "'\(transform)' needs a function returning tensors or tuples of them, got \(got)")
  }

  static func unexpectedCharacter(_ c: String) -> Self {
    .init(id: #function, "unexpected character '\(c)'", category: .syntax)
  }

  static func unknownKeyword(_ name: String, function: String, suggestion: String?) -> Self {
    .init(
      id: #function, "'\(function)' has no keyword argument '\(name)'",
      help: suggestion.map { "did you mean '\($0)'?" })
  }

  static func unknownName(_ name: String, suggestion: String?) -> Self {
    .init(
      id: #function, "unknown name '\(name)'",
      help: Suggestions.habit(name) ?? suggestion.map { "did you mean '\($0)'?" })
  }

  static func noMethods(_ name: String) -> Self {
    .init(
      id: #function, "tensors have no methods: '.\(name)(…)' is the function '\(name)'",
      help: "write \(name)(x, …); the attributes are x.shape, x.ndim, x.dtype and x.T")
  }

  static func singularMatrix(_ operation: String) -> Self {
    .init(
      id: #function, "\(operation): the matrix is singular (its LU factorisation has a zero pivot)",
      help: "its rows are linearly dependent; NumPy and PyTorch refuse it too")
  }

  static func unterminatedString() -> Self {
    .init(id: #function, "unterminated string", help: "close it with '\"'", category: .syntax)
  }

  static func usage(_ what: String) -> Self {
    .init(id: #function, what, category: .syntax)
  }

  static func wrongType(_ context: String, expected: String, got: String) -> Self {
    .init(id: #function, "\(context) expects \(expected), got \(got)")
  }
}
