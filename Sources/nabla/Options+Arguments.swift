import ArgumentParser
import NablaCore

/// `--dtype f32|f64`: the help lists the short names, and the parser also accepts every
/// spelling `dtype=` does (`float32`, `float64`, `double`).
extension DType: ExpressibleByArgument {
  public init?(argument: String) {
    self.init(name: argument)
  }
}

/// `--format pretty|json|plain`.
extension OutputFormat: ExpressibleByArgument {}

/// When diagnostics are coloured: `--color auto|always|never`.
enum ColorChoice: String, CaseIterable, ExpressibleByArgument {
  /// Colour only when standard error is a terminal and `NO_COLOR` is not set.
  case auto
  case always
  case never

  /// Whether to colour, given where diagnostics go and whether `NO_COLOR` is set (to anything
  /// but the empty string).
  func usesColor(stderrIsTerminal: Bool, noColor: Bool) -> Bool {
    switch self {
    case .auto: stderrIsTerminal && !noColor
    case .always: true
    case .never: false
    }
  }
}
