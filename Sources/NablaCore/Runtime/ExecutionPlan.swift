/// What running a graph needs that does not change between runs: how each equation runs, the
/// last use of every value (to free it), and the peak memory. Computed once per compiled
/// statement, so repeated runs (`--bench`, `:time`) pay only for the kernels.
///
/// Fusion: a broadcast whose only reader is an elementwise operation is fused into it (the
/// operation reads the broadcast's source through strides, ``StridedView``), and a chain of
/// elementwise operations whose intermediate results are each read once, by the next, runs as
/// one loop (``FusedProgram``): no such intermediate or broadcast is ever materialised.
public struct ExecutionPlan: Sendable {
  public let graph: Graph
  let rules: [any PrimitiveRule]
  /// How each equation runs.
  let steps: [Step]
  /// The values each equation reads (a fused operand's source instead of the broadcast).
  let reads: [[Var]]
  /// For each value, the index of the last equation that reads it (`Int.max` for outputs).
  let lastUse: [Int]
  /// The most bytes alive at once, or `nil` if the count overflows.
  public var peakBytes: Int? { peak?.total }
  /// What is alive at the peak: inputs, outputs and intermediates; `nil` if a count overflows.
  public let peak: PeakMemory?
  /// For each equation, the values it computes that go at once into their place in a
  /// concatenation's result (``Assembly``), after which they are freed.
  let placements: [[Placement]]
  /// Elements written up to and including each equation (progress is measured in these).
  let work: [Int]

  enum Step: Sendable {
    /// `rule.evaluate(inputs)`.
    case evaluate
    /// A broadcast fused into its reader: nothing to run.
    case fusedAway
    /// An elementwise operation reading operand `k` (the value `reads[k]`: a fused
    /// broadcast's source, or the operand itself) through `strides[k]` over `walked`, the
    /// result's shape with axes merged where every operand allows (longer rows).
    case strided(any StridedOperandsRule, walked: [Int], strides: [[Int]])
    /// The last of a chain of fused elementwise operations: the program computes the chain
    /// from the values it reads (``reads``), writing its result over `reusing` when that value
    /// dies here (it has the result's type and is read in place, element by element).
    case fused(FusedProgram, reusing: Var?)
    /// A reduction over the trailing axes of a fused chain (or one elementwise operation) read
    /// by nothing else: the program's values are reduced segment by segment as they are
    /// computed (``FusedProgram/reduce(_:kind:)``) and never stored whole.
    case fusedReduction(FusedProgram, ReductionKind)
    /// A concatenation along `axis` whose result was allocated when its first operand was
    /// computed, each operand placed into it as soon as it existed (``placements``): the
    /// operands still to place are ``reads``, at `offsets` along the axis.
    case assembled(axis: Int, offsets: [Int])
  }

  /// A value placed into the result of the concatenation along `axis` computed by equation
  /// `into`, at `offset` along the axis.
  struct Placement: Sendable {
    var value: Var
    var into: Int
    var axis: Int
    var offset: Int
  }

  /// A broadcast's, a slice's or a pad's source and the strides (and first element) that read
  /// it as the broadcast, the slice or the pad; a pad's elements outside `bounds` are 0.
  struct FusedOperand: Sendable {
    var source: Var
    var strides: [Int]
    var offset = 0
    var bounds: [Range<Int>]? = nil
  }

  /// The plan of `graph`; without `fusing`, every equation runs alone (`.evaluate`), its
  /// result stored, as the search for a non-finite value's origin needs
  /// (``NonFiniteSearch``).
  public init(_ graph: Graph, fusing: Bool = true) {
    self.graph = graph
    let rules = graph.equations.map(\.primitive.rule)
    var steps = Array(repeating: Step.evaluate, count: rules.count)
    var reads = graph.equations.map(\.inputs)
    var uses = Array(repeating: 0, count: graph.types.count)
    for eq in graph.equations { for v in eq.inputs { uses[v.id] += 1 } }
    for v in graph.outputs { uses[v.id] += 1 }
    var producer: [Var: Int] = [:]
    var reader: [Var: Int] = [:]
    for (i, eq) in graph.equations.enumerated() {
      producer[eq.output] = i
      for v in eq.inputs { reader[v] = i }
    }

    /// `v` read whole: its row-major strides from its first element.
    func whole(_ v: Var) -> FusedOperand {
      FusedOperand(source: v, strides: Shape.strides(graph.type(of: v).shape))
    }
    /// Equation `j` (a broadcast or a slice) as a view of what its operand is a view of,
    /// `operand`: the strides over `j`'s result and its first element there.
    func view(_ j: Int, through operand: FusedOperand) -> FusedOperand? {
      let eq = graph.equations[j]
      let operandShape = graph.type(of: eq.inputs[0]).shape
      guard operand.bounds == nil else { return nil }
      if case .pad(let low, _, _) = eq.primitive, !operandShape.isEmpty {
        let offset = zip(low, operand.strides).reduce(operand.offset) { $0 - $1.0 * $1.1 }
        return FusedOperand(
          source: operand.source, strides: operand.strides, offset: offset,
          bounds: zip(low, operandShape).map { $0..<($0 + $1) })
      }
      if case .broadcast(let shape, let dims) = eq.primitive {
        let strides = Broadcast(shape: shape, dims: dims).strides(
          operand: operandShape, operandStrides: operand.strides)
        return FusedOperand(source: operand.source, strides: strides, offset: operand.offset)
      }
      if case .slice(let start, _, let step) = eq.primitive {
        let offset = zip(start, operand.strides).reduce(operand.offset) { $0 + $1.0 * $1.1 }
        return FusedOperand(
          source: operand.source, strides: zip(operand.strides, step).map(*), offset: offset)
      }
      return nil
    }
    /// A broadcast producing `v` that only one equation reads: its source and the strides
    /// that read the source as `v`.
    func fusibleBroadcast(_ v: Var) -> (Int, FusedOperand)? {
      guard uses[v.id] == 1, let j = producer[v], case .broadcast = graph.equations[j].primitive,
        let view = view(j, through: whole(graph.equations[j].inputs[0]))
      else { return nil }
      return (j, view)
    }
    /// Whether equation `i` can be part of a fused chain: an elementwise rule whose operands
    /// and result all have its result's type.
    func fusible(_ i: Int) -> (any FusibleRule)? {
      // casts only where they can succeed: a protocol's first dynamic lookup for a type scans
      // every conformance record of the binary (tenths of a millisecond of a one-shot run)
      guard rules[i].isElementwise, let rule = rules[i] as? any FusibleRule else { return nil }
      let type = graph.type(of: graph.equations[i].output)
      return graph.equations[i].inputs.allSatisfy({ graph.type(of: $0) == type }) ? rule : nil
    }

    /// The reduction reading `v` when nothing else does and it reduces trailing axes only:
    /// its index, kind and how many axes it reduces.
    func trailingReduction(of v: Var) -> (Int, ReductionKind, Int)? {
      guard uses[v.id] == 1, let i = reader[v],
        [.reduceSum, .reduceMax, .reduceMin, .reduceProd].contains(
          graph.equations[i].primitive.kind),
        let rule = rules[i] as? any ReductionRule
      else { return nil }
      let rank = graph.type(of: v).shape.count
      let k = rule.axes.count
      guard k > 0, rule.axes.sorted() == Array((rank - k)..<rank) else { return nil }
      return (i, type(of: rule).kind, k)
    }

    var readers: [Var: [Int]] = [:]
    for (i, eq) in graph.equations.enumerated() {
      for v in eq.inputs { readers[v, default: []].append(i) }
    }
    // a slice, a broadcast or a pad read only by elementwise operations (or, for slices and
    // broadcasts, by slices and broadcasts that are themselves views) is never copied: each
    // reader reads it in place, as a view of the stored tensor beneath (every such reader runs
    // as a fused loop, alone if need be). A broadcast of a stored tensor read once is left to
    // be fused with its reader below; a pad reads a stored tensor.
    var viewable = Set<Var>()
    var composable = Set<Var>()  // viewable slices and broadcasts, which views may pass through
    for eq in graph.equations.reversed() where fusing {
      let isPad: Bool = if case .pad = eq.primitive { true } else { false }
      guard Self.readsInPlace(eq.primitive), let r = readers[eq.output],
        r.count == uses[eq.output.id],
        r.allSatisfy({
          fusible($0) != nil || (!isPad && composable.contains(graph.equations[$0].output))
        })
      else { continue }
      viewable.insert(eq.output)
      if !isPad { composable.insert(eq.output) }
    }
    var views: [Var: FusedOperand] = [:]
    var absorbed = Set<Int>()
    for (j, eq) in graph.equations.enumerated() where viewable.contains(eq.output) {
      let beneath = views[eq.inputs[0]]
      if case .broadcast = eq.primitive, beneath == nil, uses[eq.output.id] == 1 { continue }
      guard let operand = view(j, through: beneath ?? whole(eq.inputs[0])) else { continue }
      views[eq.output] = operand
      steps[j] = .fusedAway
      reads[j] = []
      absorbed.insert(j)
    }

    // groups are grown from their last operation backwards, so each is as large as it can be:
    // an elementwise operation of the same type joins when every reader of its result is in
    // the group (a value read twice inside stays in the loop, not in memory)
    for i in graph.equations.indices.reversed() where fusing && !absorbed.contains(i) {
      let eq = graph.equations[i]
      guard fusible(i) != nil else { continue }
      let type = graph.type(of: eq.output)
      var group: Set<Int> = [i]
      var frontier = [i]
      while let m = frontier.popLast(), group.count < Self.largestGroup {
        for v in graph.equations[m].inputs {
          guard let j = producer[v], !group.contains(j), !absorbed.contains(j),
            fusible(j) != nil, graph.type(of: v) == type, let r = readers[v],
            r.count == uses[v.id], r.allSatisfy(group.contains)
          else { continue }
          group.insert(j)
          frontier.append(j)
        }
      }
      // the group's operations in graph order (the last is `i`), reading leaves or each other
      var instructions: [FusedProgram.Instruction] = []
      var leaves: [Var] = []
      var leafStrides: [[Int]] = []
      var leafOffsets: [Int] = []
      var leafBounds: [[Range<Int>]?] = []
      var readsView = false
      var leafIndex: [Var: Int] = [:]
      var resultIndex: [Var: Int] = [:]
      var members: [Int] = []
      for m in group.sorted() {
        guard let rule = fusible(m) else { continue }
        var ops: [FusedProgram.Operand] = []
        for v in graph.equations[m].inputs {
          if let r = resultIndex[v] {
            ops.append(.result(r))
          } else if let k = leafIndex[v] {
            ops.append(.leaf(k))
          } else {
            if let view = views[v] {
              readsView = true
              leaves.append(view.source)
              leafStrides.append(view.strides)
              leafOffsets.append(view.offset)
              leafBounds.append(view.bounds)
            } else if let (j, fused) = fusibleBroadcast(v), !absorbed.contains(j) {
              members.append(j)
              leaves.append(fused.source)
              leafStrides.append(fused.strides)
              leafOffsets.append(0)
              leafBounds.append(nil)
            } else {
              leaves.append(v)
              leafStrides.append(Shape.strides(type.shape))
              leafOffsets.append(0)
              leafBounds.append(nil)
            }
            leafIndex[v] = leaves.count - 1
            ops.append(.leaf(leaves.count - 1))
          }
        }
        if m != i { members.append(m) }
        instructions.append(.init(rule: rule, operands: ops))
        resultIndex[graph.equations[m].output] = instructions.count - 1
      }
      let reduction = trailingReduction(of: eq.output)
      // one operation alone runs on the strided path below, unless a reduction absorbs it
      guard instructions.count > 1 || reduction != nil || readsView else { continue }
      for j in members {
        steps[j] = .fusedAway
        reads[j] = []
        absorbed.insert(j)
      }
      let program = FusedProgram(
        shape: type.shape, leafStrides: leafStrides, leafOffsets: leafOffsets,
        leafBounds: leafBounds, instructions: instructions, reducedAxes: reduction?.2 ?? 0)
      if let (r, kind, _) = reduction {
        steps[i] = .fusedAway
        reads[i] = []
        absorbed.insert(i)
        steps[r] = .fusedReduction(program, kind)
        reads[r] = leaves
        absorbed.insert(r)
      } else {
        steps[i] = .fused(program, reusing: nil)
        reads[i] = leaves
      }
    }
    for (i, eq) in graph.equations.enumerated() where fusing && !absorbed.contains(i) {
      guard case .evaluate = steps[i], rules[i].isElementwise, eq.inputs.count == 2,
        let rule = rules[i] as? any StridedOperandsRule
      else {
        continue
      }
      let operands = eq.inputs.map { v -> FusedOperand? in
        guard let (j, fused) = fusibleBroadcast(v), !absorbed.contains(j) else { return nil }
        steps[j] = .fusedAway
        reads[j] = []
        absorbed.insert(j)
        return fused
      }
      if operands.contains(where: { $0 != nil }) {
        let shape = graph.type(of: eq.output).shape
        let contiguous = Shape.strides(shape)
        let (walked, strides) = Shape.mergingAxes(
          shape, strides: operands.map { $0?.strides ?? contiguous })
        steps[i] = .strided(rule, walked: walked, strides: strides)
        reads[i] = zip(eq.inputs, operands).map { $1?.source ?? $0 }
      }
    }
    // a concatenation's operand read by nothing else goes into its place in the result as soon
    // as it is computed, and dies there: slices of a Jacobian or a vmap never coexist with
    // all the others
    var placements = Array(repeating: [Placement](), count: rules.count)
    for (i, eq) in graph.equations.enumerated() where fusing {
      guard case .concatenate(let axis) = eq.primitive else { continue }
      var offset = 0
      var remaining: [Var] = []
      var offsets: [Int] = []
      for v in eq.inputs {
        if uses[v.id] == 1, let j = producer[v], !Self.isFusedAway(steps[j]) {
          placements[j].append(Placement(value: v, into: i, axis: axis, offset: offset))
        } else {
          remaining.append(v)
          offsets.append(offset)
        }
        offset += graph.type(of: v).shape[axis]
      }
      guard remaining.count < eq.inputs.count else { continue }
      steps[i] = .assembled(axis: axis, offsets: offsets)
      reads[i] = remaining
    }
    var last = Array(repeating: -1, count: graph.types.count)
    for (i, r) in reads.enumerated() { for v in r { last[v.id] = i } }
    for v in graph.outputs { last[v.id] = Int.max }
    // a fused chain writes its result over a leaf computed before it and read nowhere after,
    // when it has the result's type and every read of it is in place (element by element)
    for (i, step) in steps.enumerated() {
      guard case .fused(let program, _) = step else { continue }
      let type = graph.type(of: graph.equations[i].output)
      let contiguous = Shape.strides(program.walked)
      let leaves = reads[i]
      let reusable = leaves.first { v in
        producer[v] != nil && last[v.id] == i && graph.type(of: v) == type
          && leaves.indices.allSatisfy {
            leaves[$0] != v
              || (program.leafStrides[$0] == contiguous && program.leafOffsets[$0] == 0
                && program.leafBounds[$0] == nil)
          }
      }
      steps[i] = .fused(program, reusing: reusable)
    }
    self.rules = rules
    self.steps = steps
    self.reads = reads
    lastUse = last
    self.placements = placements
    peak = PeakMemory(graph, steps, reads, last, placements)
    var written = 0
    work = graph.equations.map { eq in
      written = written &+ (Shape.elementCount(graph.type(of: eq.output).shape) ?? 0)
      return written
    }
  }

  /// Whether a loop can read `primitive`'s result straight from its operand's elements, by
  /// strides and a first element (a broadcast, a slice, a pad with nothing between elements).
  static func readsInPlace(_ primitive: Primitive) -> Bool {
    if case .broadcast = primitive { return true }
    if case .slice = primitive { return true }
    if case .pad(_, _, let interior) = primitive { return interior.allSatisfy { $0 == 0 } }
    return false
  }

  /// The most operations one fused loop runs.
  static let largestGroup = 64

  static func isFusedAway(_ step: Step) -> Bool {
    if case .fusedAway = step { true } else { false }
  }
}
