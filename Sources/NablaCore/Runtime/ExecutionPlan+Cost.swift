/// What running a plan costs, predicted before running it: the arithmetic it does and the
/// bytes its kernels move. Fused-away equations cost nothing of their own (their work is done,
/// element by element, inside the loop that absorbed them).
public struct PlanCost: Sendable, Equatable, CustomStringConvertible {
  /// Floating-point operations: one per element of an elementwise result (per operation of a
  /// fused chain), two per multiply–add of a contraction.
  public var flops: Double
  /// Bytes read and written by the kernels that run.
  public var bytes: Double

  /// One number to compare plans by: a byte moved counts as much as four operations (about
  /// this machine kind's ratio of arithmetic to memory bandwidth in these kernels).
  public var total: Double { flops + 4 * bytes }

  /// `4.98 kflop, 21.8 KiB moved`.
  public var description: String {
    // a mode whose graph could not be built is priced at infinity
    guard flops.isFinite, bytes.isFinite else { return "not built" }
    let units = [(1e9, "G"), (1e6, "M"), (1e3, "k")]
    let flopText =
      units.first { flops >= $0.0 }.map { scale, prefix in
        String(Double(Int((flops / scale * 100).rounded())) / 100) + " \(prefix)flop"
      } ?? "\(Int(flops.rounded())) flop"
    return "\(flopText), \(ByteCount.text(Int(min(bytes.rounded(), 9e18)))) moved"
  }
}

extension ExecutionPlan {
  /// The plan's predicted cost.
  public var cost: PlanCost {
    var cost = PlanCost(flops: 0, bytes: 0)
    for (i, eq) in graph.equations.enumerated() {
      let out = graph.type(of: eq.output)
      let elements = Double(out.count)
      let size = Double(out.dtype.byteSize)
      switch steps[i] {
      case .fusedAway:
        continue
      case .fused(let program, _):
        cost.flops += elements * Double(program.instructions.count)
      case .fusedReduction(let program, _):
        cost.flops += Double(program.shape.reduce(1, *)) * Double(program.instructions.count + 1)
      case .evaluate, .strided, .assembled:
        if case .dotGeneral(let d) = eq.primitive {
          let a = graph.type(of: eq.inputs[0])
          let contracted = d.lhsContract.reduce(1.0) { $0 * Double(a.shape[$1]) }
          cost.flops += 2 * elements * contracted
        } else {
          cost.flops += elements
        }
      }
      cost.bytes += elements * size
      // an assembled concatenation reads every operand, some as they are computed
      let read = if case .assembled = steps[i] { eq.inputs } else { reads[i] }
      for v in read { cost.bytes += Double(graph.type(of: v).count) * size }
    }
    return cost
  }
}
