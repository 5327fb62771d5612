/// Why a statement's plan does not fit `--max-memory`, as the refusal says it.
///
/// The plan's peak is split into the inputs (and constants), the outputs and the
/// intermediates alive at that moment (``PeakMemory``); the largest part dominates. Slicing
/// (Jacobians, Hessians, `vmap`s in slices of their basis or batch) can only shrink the
/// intermediates: the output alone is a floor no slicing goes below.
public struct MemoryRefusal: Sendable, Equatable {
  /// The peak reported: the sliced plan's when slicing lowered it, else the whole plan's.
  public var peak: PeakMemory
  public var limit: Int
  /// The most bytes of one slice, when slicing lowered the peak.
  public var sliceBytes: Int?
  /// The smallest `--max-memory` found to work, if any.
  public var fit: Int?

  /// The largest part of the peak: what it is and how many bytes it holds.
  public var dominant: (part: String, bytes: Int) {
    let parts = [
      ("the output", peak.outputs), ("intermediates", peak.intermediates),
      ("the inputs", peak.inputs),
    ]
    return parts.max { $0.1 < $1.1 } ?? ("intermediates", peak.intermediates)
  }

  /// The message: the peak against the limit, and what dominates it.
  var text: String {
    let (part, bytes) = dominant
    return "this needs \(ByteCount.text(peak.total)) of memory, more than the limit of "
      + "\(ByteCount.text(limit)), most of it \(part) (\(ByteCount.text(bytes)))"
  }

  /// The help: the other parts, whether slicing lowered the peak, the output's floor, and what
  /// would fit.
  var help: String {
    let others = [
      ("output", peak.outputs), ("intermediates", peak.intermediates), ("inputs", peak.inputs),
    ].filter { !dominant.part.hasSuffix($0.0) }
    var parts = [
      others.map { "\($0.0) \(ByteCount.text($0.1))" }.joined(separator: " and ")
        + " at the peak, "
        + (sliceBytes.map { "with Jacobians and vmaps in slices of at most \(ByteCount.text($0))" }
          ?? "and slicing its Jacobians and vmaps does not lower it")
    ]
    if peak.allOutputs > limit {
      parts.append(
        "the output alone needs \(ByteCount.text(peak.allOutputs)), more than the limit")
    }
    parts.append(
      fit.map { "--max-memory \(Self.optionText($0)) would fit" }
        ?? "raise the limit with --max-memory, or work on smaller tensors")
    return parts.joined(separator: "; ")
  }

  /// `bytes` rounded up to whole KiB, MiB or GiB, as a `--max-memory` value reads best.
  static func rounded(_ bytes: Int) -> Int {
    let unit = bytes < 1 << 20 ? 1 << 10 : bytes < 1 << 36 ? 1 << 20 : 1 << 30
    let (sum, overflow) = bytes.addingReportingOverflow(unit - 1)
    return overflow ? bytes : sum / unit * unit
  }

  /// `bytes` as `--max-memory` takes it: `70M`, `3G`, `512K`, or plain bytes.
  static func optionText(_ bytes: Int) -> String {
    for (shift, suffix) in [(40, "T"), (30, "G"), (20, "M"), (10, "K")] where bytes >= 1 << shift {
      if bytes % (1 << shift) == 0 { return "\(bytes >> shift)\(suffix)" }
    }
    return "\(bytes)"
  }
}
