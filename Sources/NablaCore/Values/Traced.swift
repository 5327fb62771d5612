/// A tensor value inside a graph being built.
public struct Traced: Sendable {
  public var v: Var
  public var type: TensorType
  /// The ``GraphBuilder/id`` of the graph `v` belongs to: a nested trace (the body of
  /// `grad(f)`) has its own graph, and values it captures from an outer one are lifted in.
  public var builder: Int
  /// The value, when it is a one-element constant known while tracing (`2`, `pi`, `1e-5`):
  /// what sizes, tolerances and exponents are read from.
  public var scalar: Double?
  /// A "weak" type comes from a Python-style scalar literal (`2`, `2.5`, `pi`): in arithmetic
  /// with a tensor it takes the tensor's dtype instead of promoting it, as in PyTorch and JAX.
  public var isWeak = false
  /// What the elements are to the user (``ElementKind``): a comparison gives truth values,
  /// which index as a boolean mask (`x[x > 0]`); `arange(5)` gives integers.
  public var kind = ElementKind.float
  /// For a list literal of whole numbers or truth values (also nested), its values exactly,
  /// of the kind PyTorch's `torch.tensor` infers from how they are written (`[1, 2]` int64,
  /// `[True]` bool): what `tensor(…)` reads, so `tensor([16777217])` is neither a float nor
  /// rounded to the default dtype first. The literal itself is of the default float dtype.
  public var literal: Tensor?
}
