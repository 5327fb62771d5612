/// Where an equation comes from: the span of the user's program it computes and, for an
/// equation a derivative rule emitted, which rule.
///
/// The tracer gives each equation it emits the range of the expression that wrote it. A
/// transform calling a rule on equation `e` makes the rule's equations inherit `e`'s range,
/// with a ``Derivation`` naming `e`'s primitive (JVP, VJP) or `e`'s own derivation (batching,
/// rewriting), so a derivative equation points at the operation it differentiates.
public struct Provenance: Sendable, Equatable {
  /// Which part of a derivative rule emitted an equation: for `y = f(x)`, JVP emits
  /// `ẏ = f′(x) · ẋ`.
  public struct Derivation: Sendable, Equatable {
    public enum Part: Sendable, Hashable {
      /// The derivative itself: values that read no tangent (`f′(x)`, `0.5 / √x` for `√x`).
      case derivative
      /// The chain rule: values linear in the tangents or cotangents (`f′(x) · ẋ`, and the
      /// transposed products `ȳ · f′(x)` of reverse mode).
      case chainRule
    }

    /// The primitive of the user's operation that was differentiated.
    public var primitive: Primitive.Kind
    /// 1 for a derivative, 2 for the derivative of a derivative equation, …
    public var order: Int
    public var part: Part
    /// The operands of the differentiated operation when they were known while tracing (the
    /// operation itself is then usually folded into a constant, or pruned), so a diagnostic
    /// can say where the derivative was taken; recorded only under `--check-nans`
    /// (``GraphBuilder``), else empty.
    public var constantOperands: [Tensor] = []

    public init(primitive: Primitive.Kind, order: Int = 1, part: Part) {
      self.primitive = primitive
      self.order = order
      self.part = part
    }
  }

  /// The user's source span; `nil` for an equation no expression wrote.
  public var range: SourceRange?
  /// `nil` for the user's own operations.
  public var derivation: Derivation?

  public init(range: SourceRange? = nil, derivation: Derivation? = nil) {
    self.range = range
    self.derivation = derivation
  }

  /// What a derivative rule applied to an equation of this provenance (and `primitive`)
  /// emits: the same span, one order higher, as `.derivative`; ``GraphBuilder`` makes it
  /// `.chainRule` for an equation that reads a tangent.
  public func differentiated(_ primitive: Primitive) -> Provenance {
    guard var d = derivation else {
      return Provenance(
        range: range, derivation: Derivation(primitive: primitive.kind, part: .derivative))
    }
    d.order &+= 1
    d.part = .derivative
    return Provenance(range: range, derivation: d)
  }

  /// What a transpose rule emits for a linear equation of this provenance: the same
  /// derivative, as `.derivative` until ``GraphBuilder`` sees it read a cotangent.
  public var transposed: Provenance {
    var p = self
    p.derivation?.part = .derivative
    return p
  }
}
