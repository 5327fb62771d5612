/// A partition of a Jacobian's columns (or rows) into groups that a single product can carry:
/// `colours[j]` is the group of column `j`, and `J` times the group's indicator vector gives
/// every non-zero of those columns (Curtis, Powell and Reid; Gebremedhin, Manne and Pothen,
/// "What color is your Jacobian?").
public struct Colouring: Sendable, Equatable {
  public enum Kind: String, Sendable {
    /// Columns that share no row (JVPs, forward mode).
    case columns = "column"
    /// Rows that share no column (VJPs, reverse mode).
    case rows = "row"
    /// A symmetric matrix's columns, coloured so that every path on four vertices uses three
    /// colours: each non-zero is read from its column's product or its transposed twin's.
    case star
  }

  public let kind: Kind
  public let colours: [Int]
  /// The number of groups.
  public let count: Int

  init(kind: Kind, colours: [Int]) {
    self.kind = kind
    self.colours = colours
    count = (colours.max() ?? -1) + 1
  }

  /// Columns coloured so that no two of one colour share a row (a distance-2 colouring of the
  /// column intersection graph), greedily in the natural order and largest-first, keeping the
  /// one with fewer colours.
  static func columns(_ p: SparsityPattern) -> Colouring {
    let byColumn = p.transposed
    let natural = Array(0..<p.columns)
    let largestFirst = natural.sorted {
      (byColumn[row: $0].count, $1) > (byColumn[row: $1].count, $0)
    }
    let a = greedy(p, byColumn, order: natural)
    let b = greedy(p, byColumn, order: largestFirst)
    return Colouring(kind: .columns, colours: (b.max() ?? 0) < (a.max() ?? 0) ? b : a)
  }

  /// Rows coloured so that no two of one colour share a column.
  static func rows(_ p: SparsityPattern) -> Colouring {
    Colouring(kind: .rows, colours: columns(p.transposed).colours)
  }

  private static func greedy(_ p: SparsityPattern, _ byColumn: SparsityPattern, order: [Int])
    -> [Int]
  {
    var colours = Array(repeating: -1, count: p.columns)
    var mark = Array(repeating: -1, count: p.columns + 1)
    for j in order {
      for i in byColumn[row: j] {
        for other in p[row: i] where colours[other] >= 0 { mark[colours[other]] = j }
      }
      var c = 0
      while mark[c] == j { c += 1 }
      colours[j] = c
    }
    return colours
  }

  /// A star colouring of the symmetric pattern `p` (greedy, Gebremedhin, Manne and Pothen's
  /// algorithm), checked to recover every entry; `nil` when the check fails.
  static func star(_ p: SparsityPattern) -> Colouring? {
    let n = p.rows
    var colours = Array(repeating: -1, count: n)
    var mark = Array(repeating: -1, count: n + 1)
    for v in 0..<n {
      for w in p[row: v] where w != v {
        if colours[w] >= 0 { mark[colours[w]] = v }
        for x in p[row: w] where x != v && x != w && colours[x] >= 0 {
          if colours[w] < 0 {
            mark[colours[x]] = v
          } else if p[row: x].contains(where: { $0 != w && $0 != x && colours[$0] == colours[w] }) {
            mark[colours[x]] = v
          }
        }
      }
      var c = 0
      while mark[c] == v { c += 1 }
      colours[v] = c
    }
    let colouring = Colouring(kind: .star, colours: colours)
    return colouring.recoversSymmetric(p) ? colouring : nil
  }

  /// Whether every entry `(i, j)` of the symmetric `p` is the only one of its colour in row
  /// `i`, or `(j, i)` the only one of its colour in row `j`.
  func recoversSymmetric(_ p: SparsityPattern) -> Bool {
    (0..<p.rows).allSatisfy { i in
      p[row: i].allSatisfy { j in isAlone(j, inRow: i, p) || isAlone(i, inRow: j, p) }
    }
  }

  /// Whether column `j` is the only column of its colour in row `i` of `p`.
  func isAlone(_ j: Int, inRow i: Int, _ p: SparsityPattern) -> Bool {
    !p[row: i].contains { $0 != j && colours[$0] == colours[j] }
  }
}
