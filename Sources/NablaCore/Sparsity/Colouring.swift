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
  /// column intersection graph), greedily in the natural order and, unless that already meets
  /// the lower bound of the widest row, largest-first, keeping the one with fewer colours.
  ///
  /// A row as wide as the matrix, or a pattern whose colouring would visit more than
  /// ``workBudget`` neighbours (`Σᵢ rowᵢ²`), gets one colour per column: the dense basis.
  static func columns(_ p: SparsityPattern) -> Colouring {
    guard p.widestRow < p.columns, squaredRowLengths(p) <= workBudget else {
      return Colouring(kind: .columns, colours: Array(0..<p.columns))
    }
    let byColumn = p.transposed
    let natural = Colouring(
      kind: .columns, colours: greedy(p, byColumn, order: Array(0..<p.columns)))
    guard natural.count > p.widestRow else { return natural }
    let largestFirst = (0..<p.columns).sorted {
      (byColumn.rowLength($0), $1) > (byColumn.rowLength($1), $0)
    }
    let other = Colouring(kind: .columns, colours: greedy(p, byColumn, order: largestFirst))
    return other.count < natural.count ? other : natural
  }

  /// The most neighbours a colouring visits before it settles for the dense basis (a few
  /// tenths of a second).
  static let workBudget = 1 << 28

  /// `Σᵢ rowᵢ²`: how many neighbours a greedy column colouring visits.
  static func squaredRowLengths(_ p: SparsityPattern) -> Int {
    (0..<p.rows).reduce(0) { total, i in
      let n = p.rowLength(i)
      return total > workBudget ? total : total + n * n
    }
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
    p.rowStarts.withUnsafeBufferPointer { rs in
      p.columnIndices.withUnsafeBufferPointer { ci in
        byColumn.rowStarts.withUnsafeBufferPointer { cs in
          byColumn.columnIndices.withUnsafeBufferPointer { ri in
            for j in order {
              for k in cs[j]..<cs[j + 1] {
                let i = ri[k]
                for l in rs[i]..<rs[i + 1] where colours[ci[l]] >= 0 { mark[colours[ci[l]]] = j }
              }
              var c = 0
              while mark[c] == j { c += 1 }
              colours[j] = c
            }
          }
        }
      }
    }
    return colours
  }

  /// A star colouring of the symmetric pattern `p` (greedy, Gebremedhin, Manne and Pothen's
  /// algorithm), checked to recover every entry; `nil` when the check fails, or when the
  /// search would visit more than ``workBudget`` paths (`Σ rowᵢ²` times the widest row).
  static func star(_ p: SparsityPattern) -> Colouring? {
    let (squares, widest) = (squaredRowLengths(p), p.widestRow)
    guard squares <= workBudget, widest == 0 || squares <= workBudget / widest else { return nil }
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
