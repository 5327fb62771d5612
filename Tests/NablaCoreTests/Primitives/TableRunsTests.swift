import Testing

@testable import NablaCore

/// A gather through ``TableRuns`` reads exactly the elements its table lists, whatever mix of
/// periodic and irregular positions the table has and however the work is split.
@Suite struct TableRunsTests {
  /// A banded Hessian's decompression (three colours, rows of two, three, …, three, two
  /// entries), a batched table, a transposition, and those with an irregular stretch inside.
  static func tables() -> [(String, [Int])] {
    let n = 3000
    var band: [Int] = []
    for i in 0..<n {
      for j in max(0, i - 1)...min(n - 1, i + 1) { band.append((j % 3) * n + i) }
    }
    let small = [5, 0, 3, 3, 1]
    let batched = (0..<2000).flatMap { b in small.map { $0 + 7 * b } }
    let transposed = (0..<100).flatMap { j in (0..<80).map { i in i * 100 + j } }
    var mixed = band
    for i in 4000..<4100 { mixed[i] = (i * i * 7919) % (3 * n) }
    return [("band", band), ("batched", batched), ("transposed", transposed), ("mixed", mixed)]
  }

  @Test func periodicTablesAreFoundAsRuns() {
    for (name, table) in Self.tables() {
      let runs = TableRuns.find(table)
      let periodic = runs?.runs.filter {
        if case .periodic = $0 { true } else { false }
      }
      #expect((periodic?.count ?? 0) > 0, "\(name)")
      // the runs cover the table once, in order
      let covered = runs?.runs.flatMap { Array($0.range) }
      #expect(covered == Array(table.indices), "\(name)")
    }
  }

  @Test func gatherThroughRunsReadsTheListedElements() {
    for (name, table) in Self.tables() {
      guard let runs = TableRuns.find(table), let top = table.max() else {
        Issue.record("\(name): no runs")
        continue
      }
      let x = (0...top).map { Float($0) * 0.5 + 1 }
      for split in [1, 3, 7] {
        var out = [Float](repeating: -1, count: table.count)
        x.withUnsafeBufferPointer { x in
          table.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { o in
              guard let xb = x.baseAddress, let pb = p.baseAddress, let ob = o.baseAddress
              else { return }
              for part in 0..<split {
                let range = (part * table.count / split)..<((part + 1) * table.count / split)
                runs.gather(xb, pb, into: ob, range)
              }
            }
          }
        }
        let wrong = table.indices.filter { out[$0] != x[table[$0]] }.count
        #expect(wrong == 0, "\(name), \(split) parts")
      }
    }
  }

  @Test func irregularAndSmallTablesAreReadAsListed() {
    var state: UInt64 = 12345
    let random = (0..<20_000).map { _ in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(state >> 40) % 10_007
    }
    #expect(TableRuns.find(random) == nil)
    #expect(TableRuns.find(Array(0..<100)) == nil)
  }
}
