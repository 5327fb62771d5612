extension Builtins {
  static let shapes: [Builtin] = [
    Builtin(
      "reshape", [.required("x"), .variadic("shape")],
      summary: "the same elements in a new shape; one size may be -1",
      example: "reshape(arange(6), 2, 3)"
    ) { t, a in
      let x = try a.tensor("x")
      var shape = try a.ints("shape")
      let unknown = shape.indices.filter { shape[$0] == -1 }
      guard unknown.count <= 1, shape.allSatisfy({ $0 >= -1 }) else {
        throw Diagnostic(
          .invalidShape("at most one size may be -1, and none below it"), at: a.range("shape"))
      }
      let known = shape.filter { $0 != -1 }
      guard let knownCount = Shape.elementCount(known) else {
        throw Diagnostic(.sizeOverflow("\(shape)"), at: a.range("shape"))
      }
      if let u = unknown.first {
        guard knownCount > 0, x.type.count % knownCount == 0 else {
          throw Diagnostic(
            .invalidShape("cannot reshape \(x.type) to \(shape)"), at: a.range("shape"))
        }
        shape[u] = x.type.count / knownCount
      }
      guard Shape.elementCount(shape) == x.type.count else {
        throw Diagnostic(
          .invalidShape("cannot reshape \(x.type) (\(x.type.count) elements) to \(shape)"),
          at: a.range("shape"))
      }
      return .traced(try t.reshape(x, shape, a.callRange))
    },
    Builtin(
      "flatten", [.required("x"), .optional("start_dim", .int(0)), .optional("end_dim", .int(-1))],
      summary: "merges axes start_dim…end_dim into one (all by default)", example: "flatten(eye(2))"
    ) { t, a in
      let x = try a.tensor("x")
      if x.type.rank == 0 { return .traced(try t.reshape(x, [1], a.callRange)) }
      let s = try t.axis(try a.int("start_dim"), rank: x.type.rank, a.range("start_dim"))
      let e = try t.axis(try a.int("end_dim"), rank: x.type.rank, a.range("end_dim"))
      guard s <= e else {
        throw Diagnostic(
          .invalidArgument("flatten", "start_dim comes after end_dim"), at: a.callRange)
      }
      let shape =
        Array(x.type.shape[..<s]) + [x.type.shape[s...e].reduce(1, *)]
        + Array(x.type.shape[(e + 1)...])
      return .traced(try t.reshape(x, shape, a.callRange))
    },
    Builtin(
      "squeeze", [.required("x"), .optional("dim")], aliases: ["axis": "dim"],
      summary: "removes axes of size 1 (all, or those in dim)", example: "squeeze(ones(1, 3, 1))"
    ) { t, a in
      let x = try a.tensor("x")
      let axes = try t.axes(try a.optionalInts("dim"), rank: x.type.rank, a.range("dim"))
      let drop = Set(axes.filter { x.type.shape[$0] == 1 })
      let shape = x.type.shape.indices.filter { !drop.contains($0) }.map { x.type.shape[$0] }
      return .traced(try t.reshape(x, shape, a.callRange))
    },
    Builtin(
      "unsqueeze", [.required("x"), .required("dim")], aliases: ["axis": "dim"],
      summary: "inserts an axis of size 1 at dim", example: "unsqueeze([1, 2], 0)"
    ) { t, a in
      let x = try a.tensor("x")
      let d = try t.axis(try a.int("dim"), rank: x.type.rank + 1, a.range("dim"))
      return .traced(try t.unsqueeze(x, d, a.callRange))
    },
    Builtin(
      "movedim", [.required("x"), .required("source"), .required("destination")],
      summary: "moves axes to new positions, keeping the others in order",
      example: "movedim(ones(2, 3, 4), 0, -1)"
    ) { t, a in
      let x = try a.tensor("x")
      let rank = x.type.rank
      let src = try t.axesInOrder(try a.ints("source"), rank: rank, a.range("source"))
      let dst = try t.axesInOrder(try a.ints("destination"), rank: rank, a.range("destination"))
      guard src.count == dst.count else {
        throw Diagnostic(
          .invalidArgument("movedim", "source and destination must name as many axes"),
          at: a.callRange)
      }
      var perm = [Int?](repeating: nil, count: rank)
      for (s, d) in zip(src, dst) { perm[d] = s }
      var rest = (0..<rank).filter { !src.contains($0) }.makeIterator()
      let full = perm.map { $0 ?? rest.next() ?? 0 }
      return .traced(try t.transposed(x, full, a.callRange))
    },
    Builtin(
      "permute", [.required("x"), .variadic("dims")],
      summary: "reorders the axes: output axis i is input axis dims[i]",
      example: "permute(ones(2, 3, 4), 2, 0, 1)"
    ) { t, a in
      let x = try a.tensor("x")
      let perm = try t.axesInOrder(try a.ints("dims"), rank: x.type.rank, a.range("dims"))
      guard perm.count == x.type.rank else {
        throw Diagnostic(
          .invalidArgument("permute", "needs all \(x.type.rank) axes, got \(perm.count)"),
          at: a.range("dims"))
      }
      return .traced(try t.transposed(x, perm, a.callRange))
    },
    Builtin(
      "concat", [.required("tensors"), .optional("dim", .int(0))], aliases: ["axis": "dim"],
      summary: "joins tensors along an existing axis", example: "concat(([1, 2], [3]))"
    ) { t, a in
      .traced(try t.concatenate(try a.tensors("tensors"), axis: try a.int("dim"), a.callRange))
    },
    Builtin(
      "stack", [.required("tensors"), .optional("dim", .int(0))], aliases: ["axis": "dim"],
      summary: "joins tensors of equal shape along a new axis", example: "stack(([1, 2], [3, 4]))"
    ) { t, a in
      .traced(try t.stack(try a.tensors("tensors"), axis: try a.int("dim"), a.callRange))
    },
    Builtin(
      "broadcast_to", [.required("x"), .variadic("shape")],
      summary: "x broadcast to a shape (NumPy rules)",
      example: "broadcast_to([1, 2], 3, 2)"
    ) { t, a in
      let x = try a.tensor("x")
      let shape = try a.shape("shape")
      guard Shape.broadcast(x.type.shape, shape) == shape else {
        throw Diagnostic(.shapeMismatch("cannot broadcast \(x.type) to \(shape)"), at: a.callRange)
      }
      return .traced(try t.broadcast(x, to: shape, a.callRange))
    },
    Builtin(
      "shape", [.required("x")], summary: "the shape as a tuple of integers",
      example: "shape(ones(2, 3))"
    ) { t, a in
      .tuple(try a.tensor("x").type.shape.map { .int($0) })
    },
    Builtin(
      "numel", [.required("x")], summary: "the number of elements", example: "numel(ones(2, 3))"
    ) { t, a in
      .int(try a.tensor("x").type.count)
    },
  ]
}

extension Tracer {
  /// Normalised axes in the order given (duplicates rejected).
  func axesInOrder(_ list: [Int], rank: Int, _ r: SourceRange) throws(Diagnostic) -> [Int] {
    var out: [Int] = []
    for a in list {
      let n = try axis(a, rank: rank, r)
      guard !out.contains(n) else {
        throw Diagnostic(.invalidArgument("dims", "axis \(a) appears twice"), at: r)
      }
      out.append(n)
    }
    return out
  }
}
