import Testing

@testable import NablaCore

/// Equivalent spellings of a function cost the same once optimised: random functions, each
/// written twice with independently chosen spellings (commuted operands, every way of writing
/// a matrix–vector product, products written as sums of elementwise products, scalings
/// factored differently), give Jacobian and Hessian plans whose predicted costs are within
/// 1.5× of each other, and the same numbers.
@Suite struct EquivalentSpellingTests {
  /// A random function of `x` (a vector of ``n``) as a tree, printed in either spelling.
  indirect enum Term {
    case x
    case matvec(String, Term)
    case unary(String, Term)
    case add(Term, Term)
    case product(Term, Term)
    case scaled(Double, String, Term)

    /// The term in the spelling `choose` picks at each node (0, 1, 2, … for its options).
    func text(_ choose: inout SpellingChooser) -> String {
      switch self {
      case .x: return "x"
      case .matvec(let m, let e):
        let v = e.text(&choose)
        let options = [
          "\(m) * (\(v))", "\(m) @ (\(v))", "matmul(\(m), \(v))", "sum(\(m) .* (\(v)), dim=1)",
          "linear(\(v), \(m))", "(\(v)) * \(m)'",
        ]
        return "(" + options[choose.next(options.count)] + ")"
      case .unary(let f, let e): return "\(f)(\(e.text(&choose)))"
      case .add(let a, let b):
        let (p, q) = (a.text(&choose), b.text(&choose))
        return choose.next(2) == 0 ? "(\(p) + \(q))" : "(\(q) + \(p))"
      case .product(let a, let b):
        let (p, q) = (a.text(&choose), b.text(&choose))
        return choose.next(2) == 0 ? "(\(p) .* \(q))" : "(\(q) .* \(p))"
      case .scaled(let c, let m, let e):
        let v = e.text(&choose)
        let options = [
          "\(c) * (\(m) * (\(v)))", "(\(c) * \(m)) * (\(v))", "\(m) * (\(c) * (\(v)))",
        ]
        return "(" + options[choose.next(options.count)] + ")"
      }
    }
  }

  /// Picks spellings from a seeded sequence.
  struct SpellingChooser {
    var state: UInt64
    mutating func next(_ n: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(n))
    }
  }

  static let n = 24

  /// Random terms of depth at most `depth`.
  static func term(_ depth: Int, _ r: inout SpellingChooser) -> Term {
    guard depth > 0, r.next(5) != 0 else { return r.next(2) == 0 ? .x : .matvec("W", .x) }
    switch r.next(5) {
    case 0: return .matvec(r.next(2) == 0 ? "W" : "V", term(depth - 1, &r))
    case 1: return .unary(["tanh", "sin", "sigmoid", "softplus"][r.next(4)], term(depth - 1, &r))
    case 2: return .add(term(depth - 1, &r), term(depth - 1, &r))
    case 3: return .product(term(depth - 1, &r), term(depth - 1, &r))
    default: return .scaled(Double(1 + r.next(3)) / 2, "V", term(depth - 1, &r))
    }
  }

  /// The predicted cost and the value of `expression`, compiled after `prelude`.
  static func compiled(_ prelude: String, _ expression: String) throws -> (PlanCost, Tensor) {
    var options = SessionOptions()
    options.choosesJacobianMode = false
    let session = Session(options: options)
    session.seed(0)
    #expect(session.run(SourceFile(name: "<prelude>", text: prelude)) == 0)
    let statements = try Parser.parse(SourceFile(name: "<test>", text: expression))
    guard case .expression(let e)? = statements.first?.kind else { throw Run.Failure() }
    let compiled = try session.compile(e)
    guard case .tensor(let t) = try session.run(compiled) else { throw Run.Failure() }
    return (compiled.plan.cost, t)
  }

  @Test(arguments: 0..<64) func equivalentSpellingsCostTheSame(_ k: Int) throws {
    var r = SpellingChooser(state: 77 &+ UInt64(k) &* 1_000_003)
    let f = Self.term(3, &r)
    var first = SpellingChooser(state: UInt64(k) &* 31 &+ 5)
    var second = SpellingChooser(state: UInt64(k) &* 97 &+ 11)
    let (a, b) = (f.text(&first), f.text(&second))
    let n = Self.n
    let prelude =
      "W = randn(\(n), \(n)) / 5; V = randn(\(n), \(n)) / 5; c = randn(\(n)); x = randn(\(n))\n"
      + "f(x) = \(a)\ng(x) = \(b)\n"
    for transform in ["jacfwd(F)(x)", "jacrev(F)(x)", "hessian(x -> dot(c, F(x)))(x)"] {
      let (costA, valueA) = try Self.compiled(
        prelude, transform.replacingOccurrences(of: "F", with: "f"))
      let (costB, valueB) = try Self.compiled(
        prelude, transform.replacingOccurrences(of: "F", with: "g"))
      let ratio = max(costA.total, costB.total) / max(1, min(costA.total, costB.total))
      #expect(
        ratio <= 1.5,
        "\(transform): \(costA) vs \(costB)\nf(x) = \(a)\ng(x) = \(b)")
      let scale = valueA.doubles.map(abs).max() ?? 1
      let worst = zip(valueA.doubles, valueB.doubles).map { abs($0 - $1) }.max() ?? 0
      #expect(worst <= 1e-4 * max(1, scale), "\(transform) values differ by \(worst)")
    }
  }
}
