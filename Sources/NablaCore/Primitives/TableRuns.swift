/// An element table seen as runs a loop can generate without reading the table: in a
/// periodic run, `positions[start + r·period + q] = positions[start + q] + r·step`. The
/// decompression of a coloured Jacobian or Hessian, a strided or transposed selection and a
/// batched table all have this form; a gather over such runs reads its source and writes its
/// result, and never the table (which, at 8 bytes a position, is the largest of the three).
struct TableRuns: Sendable {
  enum Run: Sendable {
    /// Positions read from the table.
    case listed(Range<Int>)
    /// `count` positions from `start`, repeating the `period` positions there, each repeat
    /// shifted by `step`.
    case periodic(start: Int, count: Int, period: Int, step: Int)

    var range: Range<Int> {
      switch self {
      case .listed(let r): r
      case .periodic(let start, let count, _, _): start..<(start + count)
      }
    }
  }

  let runs: [Run]

  /// The longest period looked for.
  static let longestPeriod = 32
  /// Tables shorter than this are read as they are.
  static let smallestTable = 1 << 12

  /// The runs of `positions` (all of them at least 0), or `nil` when the table is small or
  /// mostly irregular. Each run is the shortest period whose repeats cover at least 64
  /// positions and eight periods from where the previous run ended; positions no such run
  /// starts at are listed.
  static func find(_ positions: [Int]) -> TableRuns? {
    let n = positions.count
    guard n >= smallestTable else { return nil }
    var runs: [Run] = []
    var listedFrom = 0
    var listed = 0
    var k = 0
    while k < n {
      if let (period, length) = periodicRun(positions, from: k) {
        if listedFrom < k { runs.append(.listed(listedFrom..<k)) }
        runs.append(
          .periodic(
            start: k, count: length, period: period,
            step: positions[k + period] &- positions[k]))
        k += length
        listedFrom = k
      } else {
        k += 1
        listed += 1
        // a table that is not runs from the start is not searched to its end
        if listed > smallestTable && 2 * listed > k { return nil }
      }
    }
    if listedFrom < n { runs.append(.listed(listedFrom..<n)) }
    return TableRuns(runs: runs)
  }

  /// The shortest period of a run starting at `k`, and the run's length.
  private static func periodicRun(_ p: [Int], from k: Int) -> (period: Int, length: Int)? {
    let n = p.count
    for period in stride(from: 1, through: min(longestPeriod, (n - k) / 2), by: 1) {
      let step = p[k + period] &- p[k]
      var m = k
      while m + period < n, p[m + period] == p[m] &+ step { m += 1 }
      let length = m + period - k
      if length >= 64 && length >= 8 * period { return (period, length) }
    }
    return nil
  }

  /// `out[i] = x[positions[i]]` for `i` in `range`.
  func gather<T>(
    _ x: UnsafePointer<T>, _ positions: UnsafePointer<Int>, into out: UnsafeMutablePointer<T>,
    _ range: Range<Int>
  ) {
    for run in runs {
      let part = run.range.clamped(to: range)
      guard !part.isEmpty else { continue }
      switch run {
      case .listed:
        for i in part { (out + i).initialize(to: x[positions[i]]) }
      case .periodic(let start, _, let period, let step):
        // repeat by repeat: a short loop over the pattern with one shift
        let pattern = positions + start
        let (repeats, first) = (part.lowerBound - start).quotientAndRemainder(dividingBy: period)
        var (i, q, shift) = (part.lowerBound, first, repeats &* step)
        while i < part.upperBound {
          let n = min(period - q, part.upperBound - i)
          for j in 0..<n { (out + (i &+ j)).initialize(to: x[pattern[q &+ j] &+ shift]) }
          i &+= n
          q = 0
          shift &+= step
        }
      }
    }
  }
}
