/// Spelling suggestions ranked by edit distance (Elm's `Suggest.distance`).
public enum Suggestions {
  /// The restricted Damerau–Levenshtein distance between two strings (insertions, deletions,
  /// substitutions and transpositions of neighbours each cost 1).
  public static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a.lowercased())
    let b = Array(b.lowercased())
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { d[i][0] = i }
    for j in 0...b.count { d[0][j] = j }
    for i in 1...a.count {
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
        }
      }
    }
    return d[a.count][b.count]
  }

  /// The closest candidate within a distance that grows with the name's length, if any.
  public static func nearest(to name: String, in candidates: some Sequence<String>) -> String? {
    let limit = name.count <= 3 ? 1 : (name.count <= 6 ? 2 : 3)
    // Rank by distance, then by closeness in length (a transposition beats a deletion),
    // then alphabetically, so the choice is deterministic.
    var best: (name: String, rank: (Int, Int, String))?
    for candidate in candidates where candidate != name {
      let d = distance(name, candidate)
      guard d <= limit else { continue }
      let rank = (d, Swift.abs(candidate.count - name.count), candidate)
      if best.map({ rank < $0.rank }) ?? true { best = (candidate, rank) }
    }
    return best?.name
  }
}
