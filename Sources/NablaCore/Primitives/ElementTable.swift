/// A fixed table of flat element positions for ``Primitive/gather(_:shape:)`` and
/// ``Primitive/scatterAdd(_:shape:)``: `positions[i]` is a position in the other tensor
/// (row-major), or −1 for none.
///
/// A class so that a table of millions of positions is shared, not copied, by every primitive
/// that names it; equality compares the positions (after a hash computed once).
public final class ElementTable: Hashable, Sendable, CustomStringConvertible {
  public let positions: [Int]
  /// Whether some position is −1 (an element of the gather that is zero).
  public let hasEmpty: Bool
  /// The positions as periodic runs, when they are mostly that (``TableRuns``).
  let runs: TableRuns?
  private let digest: Int

  public init(_ positions: [Int]) {
    self.positions = positions
    hasEmpty = positions.contains(-1)
    runs = hasEmpty ? nil : TableRuns.find(positions)
    var h = Hasher()
    h.combine(positions)
    digest = h.finalize()
  }

  public static func == (a: ElementTable, b: ElementTable) -> Bool {
    a === b || (a.digest == b.digest && a.positions == b.positions)
  }

  public func hash(into hasher: inout Hasher) { hasher.combine(digest) }

  /// `n=12`: how the graph printer shows a table (its positions are not printed).
  public var description: String { "n=\(positions.count)" }

  /// The table repeated for `size` consecutive copies of a tensor of `stride` elements (a
  /// leading batch axis): copy `b` reads positions shifted by `b · stride`.
  func batched(size: Int, stride: Int) -> ElementTable {
    var out: [Int] = []
    out.reserveCapacity(size * positions.count)
    for b in 0..<size {
      let shift = b * stride
      for p in positions { out.append(p < 0 ? -1 : p + shift) }
    }
    return ElementTable(out)
  }

  /// Whether every position is −1 or below `count`.
  func fits(_ count: Int) -> Bool { positions.allSatisfy { $0 >= -1 && $0 < count } }
}
