import ArgumentParser
import NablaCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The `nabla` command: one-shot programs, scripts, piped input and the REPL.
struct Nabla: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "nabla",
    abstract:
      "A derivative calculator: write a function, ask for its gradient, Jacobian or Hessian.",
    usage: """
      nabla [OPTIONS] PROGRAM     evaluate PROGRAM (statements separated by ';' or newlines)
        nabla [OPTIONS] -f FILE     run a script file ('-' = standard input)
        nabla [OPTIONS]             REPL on a terminal, else read the program from standard input
      """,
    discussion: """
      EXAMPLES
        nabla --seed 0 'W = randn(3, 3); b = randn(3); x = randn(3); tanh(W*x + b)'
        nabla 'f(x) = sum(sin(x)); f(linspace(0, pi, 5))'
        seq 1 5 | nabla 'sum(load("-")^2)'
        nabla -f script.nb --format json
        nabla --dtype f64 -D 'A=[[2, 1], [1, 3]]' 'inv(A)'

      Exit status: 0 on success, 1 on an evaluation error or a failed assert,
      2 on a usage or syntax error.
      Documentation: 'man nabla', and docs/ in the source tree.
      """,
    version: versionText)

  /// What `nabla --version` prints: the version (its first line, alone, is all scripts need),
  /// the commit the binary was built from, and the kernels this CPU runs.
  static var versionText: String {
    "nabla \(version)\ncommit \(buildCommit)\nkernels: \(kernelDescription)"
  }

  /// The release's version number.
  static let version = "0.1.0"

  @Argument(help: "The program to evaluate.")
  var program: String?

  @Option(
    name: [.customShort("f"), .long],
    help: ArgumentHelp("Run a script file ('-' = standard input).", valueName: "FILE"))
  var file: String?

  @Option(help: "Seed the random generator (same as seed(N)).")
  var seed: Int64?

  @Option(help: "Default floating dtype of literals and constructors.")
  var dtype: DType = .f32

  @Option(help: "How values are printed.")
  var format: OutputFormat = .pretty

  @Option(
    name: [.customShort("D"), .long],
    help: ArgumentHelp(
      "Bind NAME to the value of PROGRAM before running (repeatable).", valueName: "NAME=PROGRAM"))
  var define: [String] = []

  @Option(help: "Threads that run large kernels (default: all cores); results do not depend on it.")
  var threads: Int?

  @Option(
    help: ArgumentHelp(
      "Refuse evaluations that need more memory (e.g. 512M, 4G).", valueName: "BYTES"))
  var maxMemory: String?

  @Flag(help: "In scripts and piped input, report an error and continue with the next statement.")
  var keepGoing = false

  @Flag(help: "Print only the value of the last expression (the others run silently).")
  var last = false

  @Flag(help: "Print compile and run times of each statement to stderr.")
  var time = false

  @Flag(
    help: "Time the last statement like torch.utils.benchmark.Timer and print one line to stderr.")
  var bench = false

  @Option(
    name: [.customShort("o"), .long],
    help: ArgumentHelp(
      "Also write the last value to FILE (.npy, .json, .svg for a plot, or .txt).",
      valueName: "FILE"))
  var output: String?

  @Option(
    help: ArgumentHelp(
      "Print the graph of each statement that computes to stderr (a bare --graph: text).",
      valueName: "STYLE"))
  var graph: GraphStyle?

  @Flag(
    help: """
      Fail a statement whose result is NaN or inf made from finite values, naming the operation \
      (or derivative rule) that made it.
      """)
  var checkNans = false

  @Flag(
    help:
      "Print, per Jacobian, the modes considered with their predicted cost and the one chosen.")
  var explain = false

  @Flag(help: "Run jacrev and jacfwd in the mode named even when the other is predicted cheaper.")
  var literalModes = false

  @Option(
    help: ArgumentHelp(
      "Print the last statement's optimised graph in FORMAT instead of evaluating it (with -o, "
        + "also write it and its arguments as .npy files).", valueName: "FORMAT"))
  var emit: EmitFormat?

  @Option(
    help: ArgumentHelp(
      "With --emit=stablehlo, lay the module out for N devices: each result split along its "
        + "largest axis N divides, for XLA's SPMD partitioner.", valueName: "N"))
  var shard: Int?

  @Option(help: "Colour in diagnostics, the REPL and plots; auto colours only a terminal.")
  var color: ColorChoice = .auto

  func validate() throws {
    if let maxMemory, ByteCount.parse(maxMemory) == nil {
      throw ValidationError("--max-memory takes a size such as 512M or 4G, not '\(maxMemory)'")
    }
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    if let shard, shard < 1 { throw ValidationError("--shard must be at least 1") }
    if shard != nil && emit == nil {
      throw ValidationError("--shard lays out an exported module; use it with --emit=stablehlo")
    }
    if program != nil && file != nil {
      throw ValidationError("give either PROGRAM or -f FILE, not both")
    }
  }

  /// Runs the command and returns the exit status.
  func execute() -> Int32 {
    let stdinIsTerminal = isatty(STDIN_FILENO) != 0
    let stderrIsTerminal = isatty(STDERR_FILENO) != 0
    var options = SessionOptions()
    options.dtype = dtype
    options.format = format
    options.showTime = time
    options.printsOnlyLast = last
    options.graph = graph
    options.explain = explain
    options.choosesJacobianMode = !literalModes
    options.checkNaNs = checkNans
    options.emit = emit
    options.shards = shard
    options.showProgress = stderrIsTerminal && !bench
    if let threads { WorkerPool.configure(threads: threads) }
    if let maxMemory, let bytes = ByteCount.parse(maxMemory) { options.memoryLimit = bytes }
    let noColor = getenv("NO_COLOR").map { String(cString: $0).isEmpty == false } ?? false
    options.color = color.usesColor(isTerminal: stderrIsTerminal, noColor: noColor)
    options.picture = PictureOptions(
      columns: Terminal.columns() ?? 80,
      color: color.usesColor(isTerminal: isatty(STDOUT_FILENO) != 0, noColor: noColor))

    let session = Session(options: options, cancellation: interrupt)
    session.output = Terminal.write
    if let seed { session.seed(seed) }

    for definition in define {
      let status = session.define(definition)
      if status != 0 { return status }
    }

    let source: SourceFile
    if let program, let script = Self.shebangScript(program) {
      source = script  // `#!/usr/bin/env nabla` ran this file
    } else if let program {
      source = SourceFile(name: "<program>", text: program)
    } else if let file {
      do {
        source = try SourceFile.read(file)
      } catch {
        session.report(error)
        return 2
      }
    } else if stdinIsTerminal {
      return REPL(session: session, useColor: session.options.color).run()
    } else {
      do {
        source = try SourceFile.read("-")
      } catch {
        session.report(error)
        return 2
      }
    }

    var status: Int32
    if bench {
      status = session.benchmark(source, keepGoing: keepGoing)
    } else {
      status = session.run(source, keepGoing: keepGoing)
    }
    if status == 0, let output, emit != nil, let module = session.lastModule {
      status = session.write(module, to: output)
    } else if status == 0, let output, emit == nil, let value = session.lastValue {
      status = session.save(value, to: output)
    }
    return status
  }
}

extension Nabla {
  /// The script `argument` names when it is the path of a file starting with `#!`, as the
  /// kernel passes a script whose first line is `#!/usr/bin/env nabla`; `nil` for a program.
  static func shebangScript(_ argument: String) -> SourceFile? {
    guard !argument.contains("\n"), argument.contains("/") || argument.hasSuffix(".nb"),
      let file = try? SourceFile.read(argument), file.text.hasPrefix("#!")
    else { return nil }
    return file
  }
}

/// The entry point: a usage error exits with status 2, not ArgumentParser's 64.
@main
enum Main {
  /// A usage error as nabla's other diagnostics read: `nabla: error:` and the parser's message,
  /// its `help:` line, a hint when a program starting with `-` was taken for an option, and
  /// one line of usage (the parser's own usage block is left out: `--help` has it).
  static func usageError(_ message: String, _ arguments: [String]) -> String {
    var lines = message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if let usage = lines.firstIndex(where: { $0.hasPrefix("Usage:") }) {
      lines = Array(lines[..<usage])
    }
    var out = ""
    for line in lines where !line.isEmpty {
      if line.hasPrefix("Error: ") {
        out += "nabla: error: " + line.dropFirst(7) + "\n"
      } else if line.hasPrefix("Help:") {
        out += "help: " + line.dropFirst(5).drop(while: { $0 == " " }) + "\n"
      } else {
        out += line + "\n"
      }
    }
    let optionCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-=")
    if let program = arguments.first(where: { argument in
      argument.count > 1 && argument.hasPrefix("-")
        && !argument.prefix(while: { $0 != "=" }).allSatisfy { optionCharacters.contains($0) }
    }) {
      out +=
        "help: a program that starts with '-' reads as an option; put '--' before it: "
        + "nabla -- '\(program)'\n"
    }
    return out + "usage: nabla [OPTIONS] PROGRAM | -f FILE   (see 'nabla --help')\n"
  }

  /// The arguments with a bare `--graph` (before any `--`) read as `--graph=text`, so the
  /// option's value stays optional and the program after it is not taken for the value.
  static func expandingBareGraph(_ arguments: [String]) -> [String] {
    let end = arguments.firstIndex(of: "--") ?? arguments.endIndex
    return arguments[..<end].map { $0 == "--graph" ? "--graph=text" : $0 } + arguments[end...]
  }

  static func main() {
    let arguments = expandingBareGraph(Array(CommandLine.arguments.dropFirst()))
    let command: Nabla
    do {
      command = try Nabla.parse(arguments)
    } catch {
      if Nabla.exitCode(for: error) == .success {
        Terminal.write(.values, Nabla.fullMessage(for: error) + "\n")
        exit(0)
      }
      Terminal.write(.diagnostics, usageError(Nabla.fullMessage(for: error), arguments))
      exit(2)
    }
    Allocator.keepFreedMemory()
    exit(command.execute())
  }
}
