/// Which arguments a transform differentiates: `argnums=2`, `argnums=(0, 1)`, `argnums=-1`.
public struct Argnums: Sendable {
  /// As written; negative ones count from the end of the call's arguments.
  public var indices: [Int]
  /// A tuple `argnums` gives a tuple of results, even of one element.
  public var isTuple: Bool

  public static let first = Argnums(indices: [0], isTuple: false)

  /// All of `count` arguments, as a tuple (`jvp`, `vjp` and `hvp` differentiate every primal).
  static func all(_ count: Int) -> Argnums { Argnums(indices: Array(0..<count), isTuple: true) }

  /// The argument positions for a call with `count` arguments.
  func resolved(count: Int, at range: SourceRange) throws(Diagnostic) -> [Int] {
    var out: [Int] = []
    for i in indices {
      guard i >= -count, i < count else {
        throw Diagnostic(.argnumsOutOfRange(i, count: count), at: range)
      }
      out.append(i < 0 ? i + count : i)
    }
    return out
  }

  var text: String {
    isTuple
      ? "(" + indices.map(String.init).joined(separator: ", ") + (indices.count == 1 ? ",)" : ")")
      : "\(indices[0])"
  }
}

/// How a Jacobian is computed.
public enum JacobianMode: Sendable {
  /// JVPs batched over the basis of each differentiated input.
  case forward
  /// VJPs batched over the basis of each output.
  case reverse
}

/// Whether a Jacobian or Hessian is computed by colouring its sparsity pattern (`sparse`:
/// `nil` lets the cost model choose) and returned as a sparse matrix (`sparse_output`).
public struct SparseOptions: Sendable, Equatable {
  public var sparse: Bool?
  public var output: Bool

  public init(sparse: Bool? = nil, output: Bool = false) {
    self.sparse = sparse
    self.output = output
  }

  /// `, sparse=True, sparse_output=True` as given.
  var text: String {
    (sparse.map { ", sparse=\($0 ? "True" : "False")" } ?? "")
      + (output ? ", sparse_output=True" : "")
  }
}

/// What random numbers drawn inside a `vmap`ped function are (torch.func's `randomness`):
/// an error (the default), one draw shared by every item, or a draw per item.
public enum Randomness: String, Sendable, CaseIterable {
  case error, same, different
}

/// A function made by a transform (`grad(f)`, `vmap(f)`, the `vjp_fn` that `vjp` returns).
public indirect enum Transform: Sendable {
  /// `grad`, or `value_and_grad` (`withValue`); `name` is what the user called (`hvp` builds
  /// one), for printing and diagnostics.
  case grad(argnums: Argnums, hasAux: Bool, withValue: Bool, name: String)
  /// `jacrev` (reverse), `jacfwd` (forward), `jacobian` (the cheaper mode, `nil`); `name` is
  /// what the user called, for printing and diagnostics.
  /// `chunkSize` basis vectors at a time when given.
  case jacobian(
    argnums: Argnums, hasAux: Bool, mode: JacobianMode?, name: String, chunkSize: Int? = nil,
    sparsity: SparseOptions = SparseOptions())
  case hessian(argnums: Argnums, hasAux: Bool, sparsity: SparseOptions = SparseOptions())
  /// `jacobian_sparsity` (`ofHessian` false) or `hessian_sparsity`: the pattern of the
  /// Jacobian or Hessian, as sparse matrices of ones, detected without evaluating anything.
  case sparsity(argnums: Argnums, hasAux: Bool, ofHessian: Bool)
  /// `chunkSize` items at a time when given; random numbers drawn in `f` as `randomness` says.
  case vmap(inDims: Value, outDims: Value, chunkSize: Int? = nil, randomness: Randomness = .error)
  /// The `vjp_fn` of `vjp(f, primals…)`: cotangents of the outputs to cotangents of the primals.
  case pullback(primals: [Value], hasAux: Bool)
  /// The `jvp_fn` of `linearize(f, primals…)`: tangents of the primals to the output's tangent.
  case pushforward(primals: [Value], hasAux: Bool)
  /// `custom_jvp(f, jvp)`: `f`, differentiated by the user's `jvp` rule.
  case customJVP(rule: Function)
  /// `custom_vjp(f, fwd, bwd)`: `f`, differentiated in reverse mode by the user's `fwd` and `bwd`.
  case customVJP(forward: Function, backward: Function)

  /// The transform's name, as diagnostics give it.
  var name: String {
    switch self {
    case .grad(_, _, _, let name), .jacobian(_, _, _, let name, _, _): name
    case .hessian: "hessian"
    case .sparsity(_, _, let h): h ? "hessian_sparsity" : "jacobian_sparsity"
    case .vmap: "vmap"
    case .pullback: "vjp"
    case .pushforward: "linearize"
    case .customJVP: "custom_jvp"
    case .customVJP: "custom_vjp"
    }
  }

  /// How the function prints: `jacrev(predict, argnums=2)`.
  func text(_ base: String) -> String {
    func nums(_ a: Argnums) -> String {
      a.indices == [0] && !a.isTuple ? "" : ", argnums=\(a.text)"
    }
    func aux(_ h: Bool) -> String { h ? ", has_aux=True" : "" }
    switch self {
    case .grad(let a, let h, _, _):
      return "\(name)(\(base)\(nums(a))\(aux(h)))"
    case .jacobian(let a, let h, _, _, _, let s), .hessian(let a, let h, let s):
      return "\(name)(\(base)\(nums(a))\(aux(h))\(s.text))"
    case .sparsity(let a, let h, _):
      return "\(name)(\(base)\(nums(a))\(aux(h)))"
    case .vmap(let i, let o, _, _):
      let inText = if case .int(0) = i { "" } else { ", in_dims=\(ValueFormatter.shortText(i))" }
      let outText = if case .int(0) = o { "" } else { ", out_dims=\(ValueFormatter.shortText(o))" }
      return "vmap(\(base)\(inText)\(outText))"
    case .pullback: return "vjp_fn(\(base))"
    case .pushforward: return "jvp_fn(\(base))"
    case .customJVP, .customVJP: return "\(name)(\(base))"
    }
  }

  /// Values the transform holds (the primals of a `vjp_fn`).
  var heldValues: [Value] {
    switch self {
    case .pullback(let p, _), .pushforward(let p, _): p
    case .grad, .jacobian, .hessian, .sparsity, .vmap, .customJVP, .customVJP: []
    }
  }

  func replacingHeldValues(_ values: [Value]) -> Transform {
    switch self {
    case .pullback(_, let h): .pullback(primals: values, hasAux: h)
    case .pushforward(_, let h): .pushforward(primals: values, hasAux: h)
    case .grad, .jacobian, .hessian, .sparsity, .vmap, .customJVP, .customVJP: self
    }
  }
}
