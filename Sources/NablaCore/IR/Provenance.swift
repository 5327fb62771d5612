/// Where an equation comes from: the span of the user's program it computes and, for an
/// equation a derivative rule emitted, which rule.
///
/// The tracer gives each equation it emits the range of the expression that wrote it. Under
/// `--check-nans` (``GraphBuilder/Options/checksNonFinite``), a transform calling a rule on
/// equation `e` makes the rule's equations inherit `e`'s range, with a ``Derivation`` naming
/// `e`'s primitive (JVP, VJP) or `e`'s own derivation (batching, rewriting), so a derivative
/// equation points at the operation it differentiates. Otherwise a rule's equations have no
/// range of their own, and inlining gives them the range of the transform's call.
public struct Provenance: Sendable, Equatable {
  /// Which part of which derivative rule emitted an equation: for `y = f(x)`, JVP emits
  /// `ẏ = f′(x) · ẋ`. Immutable and shared by reference, so an equation stays small.
  public final class Derivation: Sendable, Equatable {
    public enum Part: Sendable, Hashable {
      /// The derivative itself: values that read no tangent (`f′(x)`, `0.5 / √x` for `√x`).
      case derivative
      /// The chain rule: values linear in the tangents or cotangents (`f′(x) · ẋ`, and the
      /// transposed products `ȳ · f′(x)` of reverse mode).
      case chainRule
    }

    /// The primitive of the user's operation that was differentiated.
    public let primitive: Primitive.Kind
    /// 1 for a derivative, 2 for the derivative of a derivative equation, …
    public let order: Int
    public let part: Part
    /// The operands of the differentiated operation when they were known while tracing (the
    /// operation itself is then usually folded into a constant, or pruned), so a diagnostic
    /// can say where the derivative was taken.
    public let constantOperands: [Tensor]?

    public init(
      primitive: Primitive.Kind, order: Int = 1, part: Part, constantOperands: [Tensor]? = nil
    ) {
      self.primitive = primitive
      self.order = order
      self.part = part
      self.constantOperands = constantOperands
    }

    /// The same derivation, as `part`.
    public func with(part: Part) -> Derivation {
      part == self.part
        ? self
        : Derivation(
          primitive: primitive, order: order, part: part, constantOperands: constantOperands)
    }

    /// The same derivation, taken at `operands`.
    public func with(constantOperands operands: [Tensor]) -> Derivation {
      Derivation(primitive: primitive, order: order, part: part, constantOperands: operands)
    }

    public static func == (a: Derivation, b: Derivation) -> Bool {
      a.primitive == b.primitive && a.order == b.order && a.part == b.part
        && a.constantOperands == b.constantOperands
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
    let d = derivation
    return Provenance(
      range: range,
      derivation: Derivation(
        primitive: d?.primitive ?? primitive.kind, order: (d?.order ?? 0) &+ 1, part: .derivative,
        constantOperands: d?.constantOperands))
  }

  /// What a transpose rule emits for a linear equation of this provenance: the same
  /// derivative, as `.derivative` until ``GraphBuilder`` sees it read a cotangent.
  public var transposed: Provenance {
    Provenance(range: range, derivation: derivation?.with(part: .derivative))
  }
}
