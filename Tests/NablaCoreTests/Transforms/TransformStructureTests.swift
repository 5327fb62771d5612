import Foundation
import Testing

@testable import NablaCore

/// The transform × structure matrix: every transform with arguments that are a tensor, a
/// tuple and a nested tuple, results that are a tensor, a tuple, a nested tuple and an
/// `(output, aux)` pair, and `argnums` as an integer, a tuple and a negative integer.
///
/// `Fixtures/transform-structures.json` (written by `scripts/transform-structures`) holds each
/// case as a nabla program and JAX's result for the same computation in float64, whose
/// derivatives the script checked against central differences. Here nabla must give JAX's
/// nesting, shapes and numbers; its Jacobians must match central differences of its own
/// functions; and each output leaf's Jacobian must equal the Jacobian of that leaf alone.
@Suite struct TransformStructureTests {
  static let fixture = StructureFixture.load()

  @Test func fixtureHasTheWholeMatrix() {
    #expect(Self.fixture.cases.count >= 240)
    #expect(Self.fixture.functions.count == 12)
  }

  @Test(arguments: fixture.cases.map(\.id)) func matchesJAX(_ id: String) throws {
    guard let c = Self.fixture.cases.first(where: { $0.id == id }) else { return }
    let run = Run(Self.fixture.prelude + c.program, dtype: .f64)
    guard run.status == 0, let value = run.value else {
      Issue.record("\(c.program)\n\(run.diagnostics)")
      return
    }
    if let mismatch = c.jax.mismatch(value, at: "result") {
      Issue.record("\(mismatch)\nprogram:\n\(c.program)\nnabla: \(run.values)")
    }
  }

  /// The same matrix with the mode chosen by predicted cost and `--explain` on, so both modes
  /// of every structure (tuples in and out, nested, `has_aux`) are traced and planned, and the
  /// one that runs still gives JAX's values.
  @Test func costChosenModesMatchJAX() throws {
    for c in Self.fixture.cases {
      let run = Run(Self.fixture.prelude + c.program, dtype: .f64) {
        $0.choosesJacobianMode = true
        $0.explain = true
      }
      guard run.status == 0, let value = run.value else {
        Issue.record("\(c.program)\n\(run.diagnostics)")
        continue
      }
      if let mismatch = c.jax.mismatch(value, at: "result") {
        Issue.record("\(mismatch)\nprogram:\n\(c.program)\nnabla: \(run.values)")
      }
    }
  }

  /// Every block of `jacrev(f, argnums=(0, 1))` against central differences of `f` in each
  /// direction of each argument leaf.
  @Test(arguments: fixture.functions.map(\.label)) func jacobianMatchesCentralDifferences(
    _ label: String
  ) throws {
    guard let f = Self.fixture.functions.first(where: { $0.label == label }) else { return }
    let prelude = Self.fixture.prelude + f.definitions
    let output = f.hasAux ? "f(x, y)[0]" : "f(x, y)"
    let aux = f.hasAux ? ", has_aux=True" : ""
    let bind = "x = \(f.x); y = \(f.y)\n"
    let jacobian = try #require(
      Run(
        prelude + bind + "jacrev(f, argnums=(0, 1)\(aux))(x, y)\(f.hasAux ? "[0]" : "")",
        dtype: .f64
      ).value)
    let blocks = Pytree(jacobian).leaves
    let leaves = f.leafNames
    let outputLeaves = Pytree(try #require(Run(prelude + bind + output, dtype: .f64).value)).leaves
    #expect(blocks.count == outputLeaves.count * leaves.count)
    let eps = 1e-6
    for (k, leaf) in leaves.enumerated() {
      let size = try Run(prelude + "numel(\(leaf))", dtype: .f64).tensor().doubles[0]
      for e in 0..<Int(size) {
        func shifted(_ step: Double) throws -> [Tensor] {
          let move =
            "\(leaf) = \(leaf) + \(step) * reshape(eye(\(Int(size)))[\(e)], shape(\(leaf)))\n"
          let run = Run(prelude + move + bind + output, dtype: .f64)
          return Pytree(try #require(run.value)).leaves.compactMap {
            if case .tensor(let t) = $0 { t } else { nil }
          }
        }
        let (plus, minus) = (try shifted(eps), try shifted(-eps))
        for (i, (p, m)) in zip(plus, minus).enumerated() {
          guard case .tensor(let block) = blocks[i * leaves.count + k] else {
            Issue.record("\(label): block (\(i), \(leaf)) is not a tensor")
            return
          }
          let columns = block.count / max(1, p.count)
          for r in 0..<p.count {
            let numeric = (p.doubles[r] - m.doubles[r]) / (2 * eps)
            let analytic = block.doubles[r * columns + e]
            if !(abs(numeric - analytic) <= 1e-6 * (1 + abs(numeric))) {
              Issue.record(
                "\(label): d output \(i)[\(r)] / d \(leaf)[\(e)]: numerical \(numeric), analytical \(analytic)"
              )
              return
            }
          }
        }
      }
    }
  }

  /// For a tuple-valued `f`, the Jacobian of each output leaf alone equals that leaf's part of
  /// the whole Jacobian, by both modes.
  @Test(arguments: fixture.functions.filter { $0.outputPaths.count > 1 }.map(\.label))
  func eachOutputLeafAloneGivesItsPartOfTheJacobian(_ label: String) throws {
    guard let f = Self.fixture.functions.first(where: { $0.label == label }) else { return }
    for transform in ["jacrev", "jacfwd"] {
      for path in f.outputPaths {
        let program =
          Self.fixture.prelude + f.definitions + "x = \(f.x); y = \(f.y)\n"
          + "whole = \(transform)(f, argnums=(0, 1))(x, y)\(path)\n"
          + "alone = \(transform)((x, y) -> f(x, y)\(path), argnums=(0, 1))(x, y)\n"
          + "(whole, alone)"
        let run = Run(program, dtype: .f64)
        guard case .tuple(let pair)? = run.value, pair.count == 2 else {
          Issue.record("\(label) \(transform)\(path): \(run.diagnostics)")
          continue
        }
        let whole = Pytree(pair[0])
        let alone = Pytree(pair[1])
        #expect(whole.structure == alone.structure, "\(label) \(transform)\(path)")
        for (a, b) in zip(whole.leaves, alone.leaves) {
          guard case .tensor(let x) = a, case .tensor(let y) = b else { continue }
          #expect(x.shape == y.shape && x.doubles == y.doubles, "\(label) \(transform)\(path)")
        }
      }
    }
  }
}

/// `Fixtures/transform-structures.json`.
struct StructureFixture: Decodable {
  var prelude = ""
  var functions: [FunctionEntry] = []
  var cases: [Case] = []

  struct Case: Decodable {
    var id: String
    var program: String
    var jax: Expected
  }

  /// One function of the matrix: its definitions, its two arguments and its result.
  struct FunctionEntry: Decodable {
    var arguments: String
    var result: String
    var definitions: String
    var x: String
    var y: String
    var has_aux: Bool
    var output: Expected

    var hasAux: Bool { has_aux }
    var label: String { "\(arguments) arguments, \(result) result" }

    /// The names of the argument leaves, in the order they flatten: `(a, (B, c))` is a, B, c.
    var leafNames: [String] {
      (x + " " + y).split(whereSeparator: { !$0.isLetter }).map(String.init)
    }

    /// Indexing suffixes that reach each tensor of the output: `[0]`, `[1][0]`…
    var outputPaths: [String] { output.paths("") }
  }

  /// A value as the fixture records JAX's results.
  indirect enum Expected: Decodable {
    case tensor(shape: [Int], data: [Double])
    case tuple([Expected])
    case int(Int)
    case bool(Bool)
    case none

    private enum Key: String, CodingKey { case shape, data, tuple, int, bool, none }

    init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: Key.self)
      if let items = try c.decodeIfPresent([Expected].self, forKey: .tuple) {
        self = .tuple(items)
      } else if let n = try c.decodeIfPresent(Int.self, forKey: .int) {
        self = .int(n)
      } else if let b = try c.decodeIfPresent(Bool.self, forKey: .bool) {
        self = .bool(b)
      } else if c.contains(.none) {
        self = .none
      } else {
        self = .tensor(
          shape: try c.decode([Int].self, forKey: .shape),
          data: try c.decode([Double].self, forKey: .data))
      }
    }

    func paths(_ prefix: String) -> [String] {
      switch self {
      case .tuple(let items): items.indices.flatMap { items[$0].paths(prefix + "[\($0)]") }
      case .tensor: [prefix]
      case .int, .bool, .none: []
      }
    }

    /// Where `value` differs from this (nesting, a shape, a number beyond float64 round-off),
    /// or `nil` when it does not.
    func mismatch(_ value: Value, at path: String) -> String? {
      switch (self, value) {
      case (.tuple(let items), .tuple(let values)):
        guard items.count == values.count else {
          return "\(path): JAX has a tuple of \(items.count), nabla of \(values.count)"
        }
        for (i, (e, v)) in zip(items, values).enumerated() {
          if let m = e.mismatch(v, at: path + "[\(i)]") { return m }
        }
        return nil
      case (.tensor(let shape, let data), .tensor(let t)):
        guard t.shape == shape else { return "\(path): JAX's shape \(shape), nabla's \(t.shape)" }
        for (i, (e, a)) in zip(data, t.doubles).enumerated()
        where !(abs(e - a) <= 1e-12 + 1e-9 * abs(e)) {
          return
            "\(path): element \(i) is \(a) in nabla, \(e) in JAX\nJAX   \(data)\nnabla \(t.doubles)"
        }
        return nil
      case (.int(let n), .int(let m)) where n == m: return nil
      case (.bool(let a), .bool(let b)) where a == b: return nil
      case (.none, .none): return nil
      default:
        return "\(path): JAX has \(self), nabla has \(value.typeDescription)"
      }
    }
  }

  static func load() -> StructureFixture {
    let here = #filePath.split(separator: "/").dropLast(2).joined(separator: "/")
    let path = "/" + here + "/Fixtures/transform-structures.json"
    guard let data = FileManager.default.contents(atPath: path),
      let fixture = try? JSONDecoder().decode(StructureFixture.self, from: data)
    else { return StructureFixture() }
    return fixture
  }
}
