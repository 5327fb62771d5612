import ArgumentParser
import NablaCore

// Each option's enum lists its values by raw value itself: the parser's default is
// `String(describing:)` of each case, whose casts to three protocols each scan every conformance
// record of the binary the first time (tens of microseconds apiece at start-up; the parser
// builds its arguments twice per run).

/// `--dtype f32|f64`: the help lists the short names, and the parser also accepts every
/// spelling `dtype=` does (`float32`, `float64`, `double`).
extension DType: ExpressibleByArgument {
  /// The raw names, written out (see the top of this file).
  public static var allValueStrings: [String] { allCases.map(\.rawValue) }

  public init?(argument: String) {
    self.init(name: argument)
  }

  /// Shown under the option by `--help` and in the manual page.
  public static var allValueDescriptions: [String: String] {
    ["f32": "float32, as PyTorch's default", "f64": "float64 (also: float64, double)"]
  }
}

/// `--format pretty|json|plain`.
extension OutputFormat: ExpressibleByArgument {
  /// The raw names, written out (see the top of this file).
  public static var allValueStrings: [String] { allCases.map(\.rawValue) }

  /// Shown under the option by `--help` and in the manual page.
  public static var allValueDescriptions: [String: String] {
    [
      "pretty": "as PyTorch prints tensors",
      "json": "one JSON document per value, numbers that read back exactly",
      "plain": "numbers only, a row per line, for awk and paste",
    ]
  }
}

/// When diagnostics, the REPL and pictures are coloured: `--color auto|always|never`.
enum ColorChoice: String, CaseIterable, ExpressibleByArgument {
  /// The raw names, written out (see the top of this file).
  static var allValueStrings: [String] { allCases.map(\.rawValue) }

  /// Colour only when standard error is a terminal and `NO_COLOR` is not set.
  case auto
  case always
  case never

  /// Whether to colour a stream, given whether it is a terminal and whether `NO_COLOR` is set
  /// (to anything but the empty string): diagnostics go to standard error, pictures to
  /// standard output.
  func usesColor(isTerminal: Bool, noColor: Bool) -> Bool {
    switch self {
    case .auto: isTerminal && !noColor
    case .always: true
    case .never: false
    }
  }

  /// Shown under the option by `--help` and in the manual page.
  static var allValueDescriptions: [String: String] {
    [
      "auto": "colour what goes to a terminal (diagnostics, plots) when NO_COLOR is unset",
      "always": "colour even into pipes and files",
      "never": "no colour",
    ]
  }
}

/// `--graph[=text|raw|dot]`: a bare `--graph` is `--graph=text` (``Main/expandingBareGraph(_:)``).
extension GraphStyle: ExpressibleByArgument {
  /// The raw names, written out (see the top of this file).
  public static var allValueStrings: [String] { allCases.map(\.rawValue) }

  /// Shown under the option by `--help` and in the manual page.
  public static var allValueDescriptions: [String: String] {
    [
      "text": "the optimised graph, as a jaxpr (the default of a bare --graph)",
      "raw": "the graph as traced, before optimisation",
      "dot": "the optimised graph in Graphviz's DOT language (pipe it to dot -Tsvg)",
    ]
  }
}

/// `--emit stablehlo`.
extension EmitFormat: ExpressibleByArgument {
  /// The raw names, written out (see the top of this file).
  public static var allValueStrings: [String] { allCases.map(\.rawValue) }

  /// Shown under the option by `--help` and in the manual page.
  public static var allValueDescriptions: [String: String] {
    ["stablehlo": "a StableHLO module in MLIR text, for XLA (scripts/run-stablehlo runs it)"]
  }
}
