/// `--shard N`: how a module's arguments and results are laid out over N devices, as
/// `mhlo.sharding` attributes that XLA's SPMD partitioner (GSPMD) propagates through `main`.
///
/// Arguments are replicated: every device holds the statement's inputs. Each result is split
/// along its largest axis whose size N divides (a Jacobian's or Hessian's axes, a `vmap`'s
/// batch: every element of a derivative is computed independently of the others from the
/// inputs), so each device computes its slice of the answer; a result with no such axis is
/// replicated. The partitioner then splits every operation that leads to a split result
/// and runs the same program on each device.
enum StableHLOSharding {
  static let replicated = "{replicated}"

  /// The axis of `shape` a result is split along over `devices`, if any: the largest that
  /// `devices` divides (the first of equals).
  static func splitAxis(_ shape: [Int], devices: Int) -> Int? {
    var best: Int?
    for (axis, size) in shape.enumerated() where size >= devices && size % devices == 0 {
      if best.map({ size > shape[$0] }) ?? true { best = axis }
    }
    return best
  }

  /// The sharding of a result of `shape` over `devices`: HLO's tiled form
  /// `{devices=[1,8,1]<=[8]}` (the axis split in 8 tiles, device k holding tile k), or
  /// replicated.
  static func result(_ shape: [Int], devices: Int) -> String {
    guard let axis = splitAxis(shape, devices: devices) else { return replicated }
    let tiles = shape.indices.map { $0 == axis ? devices : 1 }
    return "{devices=[\(tiles.map(String.init).joined(separator: ","))]<=[\(devices)]}"
  }
}
