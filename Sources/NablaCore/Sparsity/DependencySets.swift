/// For each element of a tensor (row-major), the elements of the differentiated inputs it may
/// depend on, as sorted positions: element `i`'s are `positions[starts[i]..<starts[i + 1]]`
/// (compressed rows). A Jacobian entry `J[i, j]` can be non-zero only where `j` is in set `i`.
public struct DependencySets: Sendable {
  var starts: [Int]
  var positions: [Int]

  /// The number of elements.
  var count: Int { starts.count - 1 }

  /// `count` elements that depend on nothing (constants, undifferentiated inputs).
  static func none(count: Int) -> DependencySets {
    DependencySets(starts: Array(repeating: 0, count: count + 1), positions: [])
  }

  /// `count` elements, element `i` depending on input element `offset + i` alone.
  static func identity(count: Int, offset: Int) -> DependencySets {
    DependencySets(starts: Array(0...count), positions: Array(offset..<(offset + count)))
  }

  subscript(i: Int) -> ArraySlice<Int> { positions[starts[i]..<starts[i + 1]] }

  /// The largest set.
  var widest: Int {
    var w = 0
    for i in 0..<count { w = max(w, starts[i + 1] - starts[i]) }
    return w
  }
}

/// Detection stopped: some element depends on more input elements than ``DependencyLimits``
/// allow (the Jacobian is too dense for colouring to pay, or to detect in the memory given).
public struct DenseDependence: Error {}

/// How much dependence detection follows before it gives up (``DenseDependence``).
public struct DependencyLimits: Sendable {
  /// The most input elements one element may depend on.
  var widest: Int
  /// The most numbers (positions, and one per element) one tensor's sets may hold in all.
  var entries: Int

  static let unlimited = DependencyLimits(widest: .max, entries: .max)
}

/// Appends sets one element at a time, each the union of some sorted runs, within limits.
struct DependencySetsBuilder {
  private(set) var sets: DependencySets
  let limits: DependencyLimits
  private var scratch: [Int] = []

  init(limits: DependencyLimits, capacity: Int) {
    self.limits = limits
    var starts = [0]
    starts.reserveCapacity(capacity + 1)
    sets = DependencySets(starts: starts, positions: [])
  }

  /// Appends an element that depends on `run` alone (already sorted and distinct).
  mutating func append(_ run: ArraySlice<Int>) throws(DenseDependence) {
    guard run.count <= limits.widest else { throw DenseDependence() }
    sets.positions.append(contentsOf: run)
    try close()
  }

  /// Appends an element that depends on the union of two sorted runs.
  mutating func append(_ a: ArraySlice<Int>, _ b: ArraySlice<Int>) throws(DenseDependence) {
    if b.isEmpty { return try append(a) }
    if a.isEmpty { return try append(b) }
    var i = a.startIndex
    var j = b.startIndex
    while i < a.endIndex || j < b.endIndex {
      if j == b.endIndex || (i < a.endIndex && a[i] < b[j]) {
        sets.positions.append(a[i])
        i += 1
      } else if i == a.endIndex || b[j] < a[i] {
        sets.positions.append(b[j])
        j += 1
      } else {
        sets.positions.append(a[i])
        i += 1
        j += 1
      }
    }
    try close()
  }

  /// Collects runs of one element's union (``appendCollected()`` ends it).
  mutating func collect(_ run: ArraySlice<Int>) throws(DenseDependence) {
    scratch.append(contentsOf: run)
    guard scratch.count <= limits.widest || compacted() <= limits.widest else {
      throw DenseDependence()
    }
  }

  /// Appends the union of the runs collected since the last element.
  mutating func appendCollected() throws(DenseDependence) {
    _ = compacted()
    sets.positions.append(contentsOf: scratch)
    scratch.removeAll(keepingCapacity: true)
    try close()
  }

  /// Sorts the collected positions and drops repeats; returns how many are left.
  private mutating func compacted() -> Int {
    scratch.sort()
    var w = 0
    for p in scratch where w == 0 || scratch[w - 1] != p {
      scratch[w] = p
      w += 1
    }
    scratch.removeLast(scratch.count - w)
    return w
  }

  private mutating func close() throws(DenseDependence) {
    let end = sets.positions.count
    guard end - (sets.starts.last ?? 0) <= limits.widest, end + sets.starts.count < limits.entries
    else {
      throw DenseDependence()
    }
    sets.starts.append(end)
  }
}
