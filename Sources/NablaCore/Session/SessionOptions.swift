/// How values are printed: like PyTorch, as JSON, or as plain numbers.
public enum OutputFormat: String, Sendable, CaseIterable {
  case pretty, json, plain
}

/// How `--graph` shows each statement's graph.
public enum GraphStyle: String, Sendable, CaseIterable {
  /// The optimised graph as text (jaxpr-like).
  case text
  /// The graph as traced, before optimisation, as text.
  case raw
  /// The optimised graph in Graphviz's DOT language.
  case dot
}

/// What `--emit` prints instead of evaluating the last statement.
public enum EmitFormat: String, Sendable, CaseIterable {
  /// The optimised graph as a StableHLO module in MLIR text (``StableHLOModule``).
  case stablehlo
}

/// The settings of a session; the command line and the REPL's `:commands` change them.
public struct SessionOptions: Sendable {
  /// The dtype of literals and constructors.
  public var dtype: DType = .f32
  public var format: OutputFormat = .pretty
  /// How `pretty` prints tensors (`printoptions(…)`).
  public var printOptions = PrintOptions()
  /// No plan, constant or constructor may need more bytes than this.
  public var memoryLimit: Int = SessionOptions.defaultMemoryLimit
  /// Print the graph of each statement that computes to the diagnostics stream.
  public var graph: GraphStyle?
  /// Print compile and run times of each statement to the diagnostics stream.
  public var showTime = false
  /// Print, per Jacobian of each statement, the candidate modes with their predicted cost and
  /// the one chosen (`--explain`).
  public var explain = false
  /// Print only the value of the program's last expression statement (`--last`).
  public var printsOnlyLast = false
  /// Echo `name: type` after an assignment (the REPL does).
  public var echoAssignments = false
  /// Bind each printed expression's value to `ans` and `_`, qalc's and Python's names for the
  /// last result (the REPL does).
  public var bindsLastResult = false
  /// Colour in diagnostics.
  public var color = false
  /// How pictures (plots, heat maps, sparsity patterns) are drawn as text: the terminal's
  /// width and whether standard output takes colour.
  public var picture = PictureOptions()
  /// Whether `load` and `save` may touch files (the fuzzer turns this off).
  public var allowsFiles = true
  /// Whether `jacrev`/`jacfwd` may run the other mode when it is cheaper (same Jacobian, up to
  /// rounding); `--literal-modes` turns this off.
  public var choosesJacobianMode = true
  /// Show a percentage on the diagnostics stream while a statement runs for over a second
  /// (the executable turns it on when standard error is a terminal).
  public var showProgress = false
  /// The derivative rules of this session's transforms (``GraphBuilder/Options``): a test
  /// hook only, never set outside the tests.
  var derivativeRules: @Sendable (Primitive) -> any PrimitiveRule = { $0.rule }
  /// `--check-nans`: a statement whose result holds NaN or ±∞ made from finite values fails,
  /// naming the operation that made it (``NonFiniteSearch``). Off, nothing is checked.
  public var checkNaNs = false
  /// `--emit=stablehlo`: the program's last statement is printed as a module for XLA, not
  /// evaluated; the statements before it run without printing.
  public var emit: EmitFormat?
  /// `--shard N`: an exported module runs on N devices, its results split along their largest
  /// axis N divides (``StableHLOSharding``).
  public var shards: Int?

  public init() {}

  /// Half of physical memory, or 4 GiB when it cannot be read.
  public static let defaultMemoryLimit: Int = {
    #if os(Linux)
      if let text = try? readText("/proc/meminfo"),
        let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemTotal:") }),
        let kb = Int(line.split(separator: " ").dropFirst().first ?? "")
      {
        return kb * 1024 / 2
      }
    #endif
    return 4 << 30
  }()
}
