/// Human-readable byte counts: `512 B`, `1.5 KiB`, `4.0 GiB`.
public enum ByteCount {
  public static func text(_ bytes: Int) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1024, unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    if unit == 0 { return "\(bytes) B" }
    let tenths = (value * 10).rounded() / 10
    return "\(tenths) \(units[unit])"
  }

  /// Parses `1000`, `512K`, `512M`, `4G`, `1T` (binary multiples), or `nil`.
  public static func parse(_ text: String) -> Int? {
    var digits = text.trimmingSpaces().uppercased()
    if digits.hasSuffix("IB") {
      digits.removeLast(2)
    } else if digits.hasSuffix("B") {
      digits.removeLast()
    }
    var shift = 0
    if let last = digits.last, let s = ["K": 10, "M": 20, "G": 30, "T": 40][String(last)] {
      shift = s
      digits.removeLast()
    }
    guard let n = Int(digits), n >= 0 else { return nil }
    let (v, overflow) = n.multipliedReportingOverflow(by: 1 << shift)
    return overflow ? nil : v
  }
}
