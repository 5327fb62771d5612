/// NumPy indexing and list literals.
extension Tracer {
  /// `base[items]`: tuples index like lists; tensors take integers (dropping an axis), slices
  /// `start:stop:step` (negative steps reverse) and `None` (a new axis of size 1).
  func index(
    _ base: Value, _ items: [IndexItem], _ range: SourceRange, _ baseRange: SourceRange,
    _ scope: Scope
  ) throws(Diagnostic) -> Value {
    if case .tuple(let values) = base {
      guard items.count == 1, case .expr(let e) = items[0] else {
        throw Diagnostic(.invalidArgument("index", "a tuple takes one integer index"), at: range)
      }
      let i = try staticInt(try evaluate(e, scope), e.range, context: "a tuple index")
      guard i >= -values.count, i < values.count else {
        throw Diagnostic(.indexOutOfRange(i, size: values.count, axis: 0), at: e.range)
      }
      return values[i < 0 ? i + values.count : i]
    }
    let x = try asTraced(base, baseRange, context: "indexing")
    let resolved = try resolvedItems(items, rank: x.type.rank, range, scope)
    guard resolved.contains(where: \.isArray) else {
      return .traced(try basicIndex(x, resolved, range))
    }
    return .traced(try advancedIndex(x, resolved, range))
  }

  /// `x[items]` with integers, slices and `None` only: one reversal, one slice, one reshape.
  func basicIndex(_ base: Traced, _ items: [ResolvedIndex], _ range: SourceRange)
    throws(Diagnostic) -> Traced
  {
    var x = base
    let shape = x.type.shape
    var start: [Int] = []
    var limit: [Int] = []
    var step: [Int] = []
    var reversed: [Int] = []
    var outShape: [Int] = []
    var emptied: [Int] = []  // new axes of size 0
    var axis = 0
    for item in items {
      switch item {
      case .newAxis:
        outShape.append(1)
      case .emptyAxis:
        emptied.append(outShape.count)
        outShape.append(1)
      case .integer(let i, let r):
        guard axis < shape.count else {
          throw Diagnostic(.tooManyIndices(items.count, rank: shape.count), at: r)
        }
        guard i >= -shape[axis], i < shape[axis] else {
          throw Diagnostic(.indexOutOfRange(i, size: shape[axis], axis: axis), at: r)
        }
        let n = i < 0 ? i + shape[axis] : i
        start.append(n)
        limit.append(n + 1)
        step.append(1)
        axis += 1
      case .slice(let lower, let upper, let givenStep, let r):
        guard axis < shape.count else {
          throw Diagnostic(.tooManyIndices(items.count, rank: shape.count), at: r)
        }
        let n = shape[axis]
        let stepValue = Self.boundedStep(givenStep, size: n)
        let (lo, count) = Self.sliceIndices(start: lower, stop: upper, step: stepValue, size: n)
        if stepValue > 0 {
          start.append(lo)
          limit.append(lo + max(0, count - 1) * stepValue + (count > 0 ? 1 : 0))
          step.append(stepValue)
        } else {  // walk the reversed axis forwards
          reversed.append(axis)
          let rlo = n - 1 - lo
          start.append(count > 0 ? rlo : 0)
          limit.append(count > 0 ? rlo + (count - 1) * -stepValue + 1 : 0)
          step.append(-stepValue)
        }
        outShape.append(count)
        axis += 1
      case .array(_, _, _, let r):
        throw Diagnostic(.internalError("an index array on the basic indexing path"), at: r)
      }
    }
    for a in axis..<shape.count {
      start.append(0)
      limit.append(shape[a])
      step.append(1)
    }
    outShape += shape[axis...]
    if !reversed.isEmpty { x = try emit(.reverse(axes: reversed), [x], range) }
    if start != Array(repeating: 0, count: shape.count) || limit != shape
      || step.contains(where: { $0 != 1 })
    {
      x = try emit(.slice(start: start, limit: limit, stride: step), [x], range)
    }
    x = try reshape(x, outShape, range)
    for a in emptied { x = try slice(x, axis: a, 0..<0, range) }
    x.kind = base.kind
    return x
  }

  /// A step that picks the same elements of an axis of `n` as `step` does, at most `n + 1` in
  /// magnitude (past the axis's length every step picks one element), so the index
  /// arithmetic cannot overflow.
  static func boundedStep(_ step: Int, size n: Int) -> Int {
    let largest = n < Int.max ? n + 1 : n
    return step > 0 ? min(step, largest) : max(step, -largest)
  }

  /// Python's `slice.indices`: the first index and the element count, for a step bounded by
  /// ``boundedStep(_:size:)``.
  static func sliceIndices(start: Int?, stop: Int?, step: Int, size n: Int) -> (Int, Int) {
    func clamp(_ v: Int, _ lo: Int, _ hi: Int) -> Int { min(max(v, lo), hi) }
    if step > 0 {
      let lo = start.map { clamp($0 < 0 ? $0 + n : $0, 0, n) } ?? 0
      let hi = stop.map { clamp($0 < 0 ? $0 + n : $0, 0, n) } ?? n
      return (lo, hi > lo ? (hi - lo + step - 1) / step : 0)
    }
    let lo = start.map { clamp($0 < 0 ? $0 + n : $0, -1, n - 1) } ?? n - 1
    let hi = stop.map { clamp($0 < 0 ? $0 + n : $0, -1, n - 1) } ?? -1
    return (lo, lo > hi ? (lo - hi + (-step) - 1) / -step : 0)
  }

  /// `[1, 2, 3]`, `[[1, 2], [3, 4]]`, `[x, y]`: numbers become a constant of the default
  /// dtype; tensors of equal shape are stacked.
  func listLiteral(_ items: [Expr], _ range: SourceRange, _ scope: Scope) throws(Diagnostic)
    -> Traced
  {
    guard !items.isEmpty else {
      return try constant(Tensor(shape: [0], values: [], dtype: defaultDType))
    }
    var parts: [Traced] = []
    var values: [Double] = []
    var allNumbers = true
    var allBooleans = true
    for item in items {
      let v = try evaluate(item, scope)
      switch v {
      case .int(let n):
        values.append(Double(n))
        allBooleans = false
      case .bool(let b): values.append(b ? 1 : 0)
      default:
        allNumbers = false
        allBooleans = false
      }
      parts.append(try asTraced(v, item.range, context: "a list element"))
    }
    if allNumbers {
      // numbers are of the default dtype; `[True, False]` is a boolean mask
      let kind = allBooleans ? ElementKind.boolean : .float
      var t = try constant(
        Tensor(shape: [items.count], values: values, type: ElementType(kind, defaultDType)))
      t.literal = Tensor(
        shape: [items.count], values: values,
        type: ElementType(allBooleans ? .boolean : .integer, .f64))
      return t
    }
    for (p, item) in zip(parts, items) where p.type.shape != parts[0].type.shape {
      throw Diagnostic(
        .shapeMismatch("list elements must have equal shapes: \(parts[0].type) and \(p.type)"),
        at: item.range)
    }
    var t = try stack(try unifyDTypes(parts, range), axis: 0, range)
    t.isWeak = false
    let literals = parts.compactMap(\.literal)
    if literals.count == parts.count, let kind = literals.map(\.kind).max() {
      t.literal = Tensor(
        shape: [parts.count] + t.type.shape.dropFirst(), values: literals.flatMap(\.doubles),
        type: ElementType(kind, .f64))
    }
    return t
  }
}
