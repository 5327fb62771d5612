/// An `einsum` specification such as `"ij,jk->ik"` or `"...ii"`, with each operand's axes
/// named by labels: letters, and for `...` the broadcast axes it stands for (numbered from the
/// last, so that they line up from the right as NumPy broadcasting does).
struct EinsumSubscripts {
  /// A name of an axis: a letter, or the k-th axis from the right covered by `...`.
  enum Label: Hashable, Comparable {
    case ellipsis(Int)
    case letter(Character)

    /// Ellipsis axes first (the leftmost first), then letters in alphabetical order: the
    /// implicit output's order.
    static func < (a: Label, b: Label) -> Bool {
      switch (a, b) {
      case (.ellipsis(let x), .ellipsis(let y)): x > y
      case (.ellipsis, .letter): true
      case (.letter, .ellipsis): false
      case (.letter(let x), .letter(let y)): x < y
      }
    }
  }

  var operands: [[Label]]
  var output: [Label]

  /// Parses `text` for operands of `ranks`; the message of the first mistake otherwise.
  init(_ text: String, ranks: [Int]) throws(EinsumError) {
    let parts = text.filter { $0 != " " }.split(
      separator: "->", omittingEmptySubsequences: false
    ).map(String.init)
    guard parts.count <= 2 else { throw EinsumError("'->' may appear once") }
    let inputs = parts[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    guard inputs.count == ranks.count else {
      throw EinsumError(
        "\(inputs.count) operand subscript\(inputs.count == 1 ? "" : "s") for \(ranks.count) operand\(ranks.count == 1 ? "" : "s")"
      )
    }
    var operands: [[Label]] = []
    var ellipsisRank = 0
    for (term, rank) in zip(inputs, ranks) {
      let (head, tail, hasEllipsis) = try Self.letters(term)
      let covered = rank - head.count - tail.count
      guard covered >= 0, hasEllipsis || covered == 0 else {
        throw EinsumError(
          "'\(term)' names \(head.count + tail.count) axes of an operand with \(rank)")
      }
      ellipsisRank = max(ellipsisRank, covered)
      operands.append(
        head.map(Label.letter) + (0..<covered).reversed().map(Label.ellipsis)
          + tail.map(Label.letter))
    }
    self.operands = operands
    if parts.count == 2 {
      let (head, tail, hasEllipsis) = try Self.letters(parts[1])
      let broadcast = hasEllipsis ? (0..<ellipsisRank).reversed().map(Label.ellipsis) : []
      output = head.map(Label.letter) + broadcast + tail.map(Label.letter)
      guard Set(output).count == output.count else {
        throw EinsumError("the output '\(parts[1])' repeats a subscript")
      }
      let known = Set(operands.joined())
      if let unknown = output.first(where: { !known.contains($0) }) {
        throw EinsumError("the output subscript \(unknown) is not in any operand")
      }
    } else {
      // implicit: the broadcast axes, then the letters seen exactly once, alphabetically
      var counts: [Label: Int] = [:]
      for l in operands.joined() { counts[l, default: 0] += 1 }
      output = counts.keys.filter { if case .ellipsis = $0 { true } else { counts[$0] == 1 } }
        .sorted()
    }
  }

  /// The letters before and after an operand's `...`, and whether it has one.
  private static func letters(_ term: String) throws(EinsumError) -> (
    [Character], [Character], Bool
  ) {
    let pieces = term.split(separator: "...", omittingEmptySubsequences: false).map(String.init)
    guard pieces.count <= 2 else { throw EinsumError("'...' may appear once in '\(term)'") }
    for c in pieces.joined() where !(c.isASCII && c.isLetter) {
      throw EinsumError("'\(c)' is not a subscript (use letters a–z, A–Z and '...')")
    }
    return (Array(pieces[0]), pieces.count == 2 ? Array(pieces[1]) : [], pieces.count == 2)
  }
}

extension EinsumSubscripts.Label: CustomStringConvertible {
  var description: String {
    switch self {
    case .letter(let c): "'\(c)'"
    case .ellipsis: "'...'"
    }
  }
}

/// A mistake in an `einsum` specification.
struct EinsumError: Error {
  let message: String
  init(_ message: String) { self.message = message }
}
