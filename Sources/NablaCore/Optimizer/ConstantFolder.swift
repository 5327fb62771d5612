/// Constant folding: an equation whose operands are all known while tracing is computed at
/// once, so literals, sizes and derivatives of constants reach the graph as values.
///
/// Broadcasts into large tensors are left as equations: a broadcast scalar (`1 − y²` in a
/// derivative) stays one number until the interpreter expands it. Transposes are folded only
/// when ``foldsTransposes`` (the simplifier's last pass): before, a transposed operand of a
/// contraction is read through its dimension numbers instead of copied. Folding refuses
/// results over the memory limit before computing them, a computation cut short by
/// cancellation is an interruption, never a constant, and the inverse of a singular matrix is
/// left for the interpreter to report.
public struct ConstantFolder: ConstantFolding {
  /// Broadcasts with more elements than this stay equations.
  public static let largestFoldedBroadcast = 4096

  public let memoryLimit: Int
  public let cancellation: CancellationFlag?
  public var foldsTransposes = false
  /// `--check-nans`: an equation whose value is not finite where its operands are stays an
  /// equation, so the search for a non-finite result's origin finds it with its span.
  public var leavesNonFinite = false

  public init(memoryLimit: Int, cancellation: CancellationFlag?) {
    self.memoryLimit = memoryLimit
    self.cancellation = cancellation
  }

  public func fold(_ primitive: Primitive, _ values: [Tensor], type: TensorType)
    throws(Diagnostic) -> Tensor?
  {
    if primitive.kind == .broadcast && type.count > Self.largestFoldedBroadcast { return nil }
    if primitive.kind == .transpose && type.count > 1 && !foldsTransposes { return nil }
    guard let count = Shape.elementCount(type.shape) else {
      throw Diagnostic(.sizeOverflow(type.shape.description), at: nil)
    }
    let (bytes, overflow) = count.multipliedReportingOverflow(by: type.dtype.byteSize)
    guard !overflow, bytes <= memoryLimit else {
      throw Diagnostic(
        .memoryLimitExceeded(bytes: overflow ? .max : bytes, limit: memoryLimit), at: nil)
    }
    let value = primitive.rule.evaluate(values, polling: cancellation)
    if cancellation?.isCancelled == true { throw Diagnostic(.interrupted(), at: nil) }
    if leavesNonFinite, !value.isFinite, values.allSatisfy(\.isFinite) { return nil }
    // a singular inverse or solve stays an equation: running it reports the error where the
    // call is
    return primitive.singularOperation(values, value) == nil ? value : nil
  }
}
