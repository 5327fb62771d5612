/// An index item with its values known: what `x[…]` does along one or more axes.
enum ResolvedIndex {
  /// `None`, or a true 0-d mask: a new axis of size 1.
  case newAxis
  /// A false 0-d mask: a new axis of size 0 (NumPy's `x[False]`).
  case emptyAxis
  /// One element of an axis (the axis is dropped).
  case integer(Int, SourceRange)
  /// `start:stop:step` with Python's defaults still open (`nil`).
  case slice(start: Int?, stop: Int?, step: Int, SourceRange)
  /// Integer positions (`x[[0, 2]]`), or one array per axis a boolean mask covers
  /// (`x[x > 0]`): NumPy's advanced indexing.
  /// `mask`: the shape of the mask the arrays come from, which must be that of the axes it
  /// covers.
  case array([[Int]], shape: [Int], mask: [Int]? = nil, SourceRange)

  var isArray: Bool {
    if case .array = self { true } else { false }
  }

  /// How many of the operand's axes the item consumes.
  var axes: Int {
    switch self {
    case .newAxis, .emptyAxis: 0
    case .integer, .slice: 1
    case .array(let positions, _, _, _): positions.count
    }
  }
}

extension Tracer {
  /// The items of `x[items]` evaluated, with `...` expanded to whole axes.
  func resolvedItems(
    _ items: [IndexItem], rank: Int, _ range: SourceRange, _ scope: Scope
  ) throws(Diagnostic) -> [ResolvedIndex] {
    var out: [ResolvedIndex] = []
    var ellipsis: (position: Int, range: SourceRange)?
    for item in items {
      switch item {
      case .ellipsis(let r):
        guard ellipsis == nil else {
          throw Diagnostic(.invalidArgument("index", "'...' may appear once"), at: r)
        }
        ellipsis = (out.count, r)
      case .slice(let s, let e, let st, let r):
        func bound(_ x: Expr?) throws(Diagnostic) -> Int? {
          guard let x else { return nil }
          let v = try evaluate(x, scope)
          if case .none = v { return nil }
          return try staticInt(v, x.range, context: "a slice bound")
        }
        let step = try bound(st) ?? 1
        guard step != 0 else {
          throw Diagnostic(.invalidArgument("slice", "step cannot be zero"), at: r)
        }
        out.append(.slice(start: try bound(s), stop: try bound(e), step: step, r))
      case .expr(let e):
        out.append(try resolvedIndex(try evaluate(e, scope), e.range))
      }
    }
    if let ellipsis {
      let used = out.reduce(0) { $0 + $1.axes }
      guard used <= rank else {
        throw Diagnostic(.tooManyIndices(used, rank: rank), at: ellipsis.range)
      }
      let whole = ResolvedIndex.slice(start: nil, stop: nil, step: 1, ellipsis.range)
      out.insert(contentsOf: Array(repeating: whole, count: rank - used), at: ellipsis.position)
    }
    return out
  }

  /// One evaluated index: `None`, an integer, or an array of them (a boolean mask when it is
  /// a comparison).
  private func resolvedIndex(_ v: Value, _ r: SourceRange) throws(Diagnostic) -> ResolvedIndex {
    switch v {
    case .none: return .newAxis
    case .bool(let b): return b ? .newAxis : .emptyAxis
    case .int: return .integer(try staticInt(v, r, context: "an index"), r)
    case .traced(let t) where t.type.rank == 0 && t.kind != .boolean:
      if t.scalar == nil, t.kind == .integer {
        // a computed integer (`x[argmax(x)]`), known once computed: at the top level, now
        let value = try indexValues(t, r)[flat: 0]
        guard let n = Int(exactly: value) else {
          throw Diagnostic(.invalidArgument("index", "\(value) is not a position"), at: r)
        }
        return .integer(n, r)
      }
      return .integer(try staticInt(v, r, context: "an index"), r)
    default: break
    }
    let t = try asTraced(v, r, context: "an index")
    let values = try indexValues(t, r)
    if t.kind == .boolean, t.type.rank == 0 { return values[flat: 0] != 0 ? .newAxis : .emptyAxis }
    if t.kind == .boolean {
      // the positions of the true elements, one array per axis the mask covers
      var positions = Array(repeating: [Int](), count: t.type.rank)
      for flat in 0..<values.count where values[flat: flat] != 0 {
        for (axis, i) in Shape.index(ofFlat: flat, in: t.type.shape).enumerated() {
          positions[axis].append(i)
        }
      }
      return .array(positions, shape: [positions[0].count], mask: t.type.shape, r)
    }
    var integers: [Int] = []
    integers.reserveCapacity(values.count)
    for flat in 0..<values.count {
      let x = values[flat: flat]
      guard x == x.rounded(), abs(x) < 9.0e15 else {
        throw Diagnostic(
          .invalidArgument("index", "an index array must hold integers, found \(x)"), at: r)
      }
      integers.append(Int(x))
    }
    return .array([integers], shape: t.type.shape, r)
  }

  /// The numbers of an index array: a constant of the graph, or computed now at the top
  /// level; inside a transformed function an index that depends on its arguments cannot be
  /// known while tracing (the result's shape or elements would depend on values).
  private func indexValues(_ t: Traced, _ r: SourceRange) throws(Diagnostic) -> Tensor {
    if t.builder == builder.id, let c = builder.constantValue(t.v) { return c }
    guard parent == nil else {
      throw Diagnostic(
        .invalidArgument(
          "index",
          "an index array (or boolean mask) inside a transformed function must not depend on its arguments",
          help: "index with a constant array, or use where(mask, x, 0) to keep the shape"),
        at: r)
    }
    return try concreteValues([t], r, what: "an index array")[0]
  }

  /// NumPy's advanced indexing: the basic items applied first (each array's axes kept whole),
  /// then one gather. The index arrays broadcast together to a shape B that replaces their
  /// axes where they are adjacent, or leads the result where they are not; an integer among
  /// arrays counts as a 0-d array.
  func advancedIndex(_ base: Traced, _ items: [ResolvedIndex], _ range: SourceRange)
    throws(Diagnostic) -> Traced
  {
    var basic: [ResolvedIndex] = []
    var arrays: [(axis: Int, positions: [Int], shape: [Int], range: SourceRange)] = []
    guard items.reduce(0, { $0 + $1.axes }) <= base.type.rank else {
      throw Diagnostic(.tooManyIndices(items.count, rank: base.type.rank), at: range)
    }
    var axis = 0  // of the basic result
    var consumed = 0  // of the operand
    for item in items {
      consumed += item.axes
      switch item {
      case .newAxis, .emptyAxis:
        basic.append(item)
        axis += 1
      case .slice:
        basic.append(item)
        axis += 1
      case .integer(let i, let r):
        basic.append(.slice(start: nil, stop: nil, step: 1, r))
        arrays.append((axis, [i], [], r))
        axis += 1
      case .array(let positions, let shape, let mask, let r):
        if let mask {
          let covered = Array(base.type.shape.dropFirst(consumed - mask.count).prefix(mask.count))
          guard covered == mask else {
            throw Diagnostic(
              .shapeMismatch(
                "a boolean mask of shape \(parameterList(mask)) indexes axes of shape \(parameterList(covered))"
              ),
              at: r)
          }
        }
        for p in positions {
          basic.append(.slice(start: nil, stop: nil, step: 1, r))
          arrays.append((axis, p, shape, r))
          axis += 1
        }
      }
    }
    let y = try basicIndex(base, basic, range)
    let shape = y.type.shape
    var b: [Int] = []
    for a in arrays {
      guard let s = Shape.broadcast(b, a.shape) else {
        throw Diagnostic(
          .shapeMismatch(
            "index arrays of shapes \(parameterList(b)) and \(parameterList(a.shape)) do not broadcast"
          ),
          at: a.range)
      }
      b = s
    }
    // each array's positions, checked and made non-negative
    var columns: [[Int]] = []
    for a in arrays {
      let size: Int = shape[a.axis]
      var column: [Int] = []
      for i: Int in a.positions {
        guard i >= -size, i < size else {
          throw Diagnostic(.indexOutOfRange(i, size: size, axis: a.axis), at: a.range)
        }
        column.append(i < 0 ? i + size : i)
      }
      columns.append(column)
    }
    let indexed = arrays.map(\.axis)
    let adjacent = zip(indexed, indexed.dropFirst()).allSatisfy { $1 == $0 + 1 }
    let others = (0..<shape.count).filter { !indexed.contains($0) }
    let lead = adjacent ? others.filter { $0 < indexed[0] } : []
    let trail = others.filter { !lead.contains($0) }
    let outShape = lead.map { shape[$0] } + b + trail.map { shape[$0] }
    try checkShape(outShape, range)
    let strides = Shape.strides(shape)
    let count = outShape.reduce(1, *)
    var table: [Int] = []
    table.reserveCapacity(count)
    for flat in 0..<count {
      let index = Shape.index(ofFlat: flat, in: outShape)
      var position = 0
      for (k, a) in lead.enumerated() { position += index[k] * strides[a] }
      let bIndex = Array(index[lead.count..<(lead.count + b.count)])
      for (j, a) in arrays.enumerated() {
        // this array's element at bIndex, broadcast from its own shape
        let own = a.shape
        var element = 0
        var step = 1
        for d in stride(from: own.count - 1, through: 0, by: -1) {
          let i = own[d] == 1 ? 0 : bIndex[b.count - own.count + d]
          element += i * step
          step *= own[d]
        }
        position += columns[j][element] * strides[a.axis]
      }
      for (k, a) in trail.enumerated() { position += index[lead.count + b.count + k] * strides[a] }
      table.append(position)
    }
    var result = try emit(.gather(ElementTable(table), shape: outShape), [y], range)
    result.kind = base.kind
    return result
  }
}
