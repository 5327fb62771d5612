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

  /// What to write instead of a name that users of Python, NumPy, PyTorch or MATLAB reach for
  /// and nabla spells otherwise, or `nil`.
  public static func habit(_ name: String) -> String? {
    switch name {
    case "ans", "_", "__", "___":
      "no result yet: in the REPL, 'ans' and '_' are the last printed value, '__' and '___' the two before"
    case "size", "len", "length": "the shape is x.shape (or shape(x)); numel(x) counts elements"
    case "exit", "quit": "leave the REPL with :quit or Ctrl-D"
    case "help": "in the REPL, :help NAME (or NAME?); docs/language.md lists every built-in"
    case "np", "numpy", "jnp", "jax", "torch", "math", "F":
      "built-ins have no module prefix: write sin(x), not \(name).sin(x)"
    case "print": "a statement's value prints by itself: write x, not print(x)"
    case "def", "lambda", "function":
      "define a function as f(x) = x^2, or write a lambda: x -> x^2"
    default:
      resultNumber(name).map {
        "no result \($0) yet: in the REPL, '_N' is the N-th printed value (:results lists them)"
      }
    }
  }

  /// `N` when `name` is `_N`, the REPL's name of its N-th result.
  static func resultNumber(_ name: String) -> Int? {
    guard name.hasPrefix("_"), name.count > 1, name.dropFirst().allSatisfy(\.isASCII) else {
      return nil
    }
    return Int(name.dropFirst())
  }

  /// The closest candidate within a distance that grows with the name's length, if any.
  public static func nearest(to name: String, in candidates: some Sequence<String>) -> String? {
    let limit = name.count <= 3 ? 1 : (name.count <= 6 ? 2 : 3)
    // Rank by distance, then a key held down too long ('sinn' is 'sin', not 'sinh'), then the
    // longest common prefix (typos come late in a word), then closeness in length (a
    // transposition beats a deletion), then alphabetically, so the choice is deterministic.
    let chars = Array(name)
    let doubled = Set(
      chars.indices.dropFirst().filter { chars[$0] == chars[$0 - 1] }.map { i in
        var shorter = chars
        shorter.remove(at: i)
        return String(shorter)
      })
    var best: (name: String, rank: (Int, Int, Int, Int, String))?
    for candidate in candidates where candidate != name {
      let d = distance(name, candidate)
      guard d <= limit else { continue }
      let prefix = zip(name.lowercased(), candidate.lowercased()).prefix { $0 == $1 }.count
      let rank = (
        d, doubled.contains(candidate) ? 0 : 1, -prefix, Swift.abs(candidate.count - name.count),
        candidate
      )
      if best.map({ rank < $0.rank }) ?? true { best = (candidate, rank) }
    }
    return best?.name
  }
}
