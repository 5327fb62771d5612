import Foundation
import Testing

/// The command line, driven through the real binary.
@Suite struct EndToEndTests {
  static let tutorial = "W = randn(16, 16); b = randn(16); x = randn(16); tanh(W*x + b)"
  /// What PyTorch prints for `torch.manual_seed(0); …; print(F.linear(x, W, b).tanh())` (the issue).
  static let tutorialOutput = """
    tensor([-0.6863, -1.0000, -0.9761,  1.0000,  1.0000, -0.8499,  0.9999, -0.9994,
            -0.9225,  0.4948, -0.6597, -1.0000, -0.5039,  0.9986,  1.0000,  0.9370])

    """

  /// Kernels large enough to run on the worker pool give the same bytes for any `--threads`.
  @Test(arguments: [
    "predict(W, b, x) = tanh(linear(x, W, b)); W = randn(32, 256); b = randn(32); x = randn(256); hessian(predict, argnums=2)(W, b, x)",
    "predict(W, b, x) = tanh(linear(x, W, b)); W = randn(33, 31); b = randn(33); x = randn(64, 31); vmap(hessian(predict, argnums=2), in_dims=(None, None, 0))(W, b, x)",
    "A = randn(300, 200); B = randn(200, 300); sin(A * B) .* exp(-abs(A * B))",
    "x = randn(4, 100000); (sum(x, dim=1)[:, None] + max(x, dim=0)[None, :] + sum(x)) .* ones(4, 100000)",
  ])
  func resultsAreBitIdenticalForAnyThreadCount(_ program: String) throws {
    let dir = try Nabla.temporaryDirectory()
    var outputs: [Data] = []
    for threads in [1, 2, 3] {
      let file = dir.appendingPathComponent("t\(threads).npy")
      let run = try Nabla(["--seed", "0", "--threads", "\(threads)", "-o", file.path, program])
      #expect(run.status == 0, "\(run.stderr)")
      outputs.append(try Data(contentsOf: file))
    }
    #expect(outputs[0].count > 300_000)
    #expect(outputs[1] == outputs[0])
    #expect(outputs[2] == outputs[0])
  }

  @Test func oneShotProgramPrintsWhatPyTorchPrints() throws {
    let run = try Nabla(["--seed", "0", Self.tutorial])
    #expect(run.status == 0)
    #expect(run.stdout == Self.tutorialOutput)
    #expect(run.stderr.isEmpty)
  }

  /// A tuple-valued function's Jacobian is the tuple of its outputs' Jacobians: diag(cos x) and
  /// diag(−sin x), printed as PyTorch prints them (cos 1 = 0.5403, cos 2 = −0.4161,
  /// sin 1 = 0.8415, sin 2 = 0.9093). The off-diagonal zeros keep the sign of their products,
  /// as in JAX: reverse mode multiplies rows of the basis by the derivative (`0 · cos 2` is
  /// −0 in the first row), forward mode columns; both modes predict the same cost here, so each
  /// transform runs the mode it names (`jacobian` the one with fewer basis vectors, forward).
  @Test func jacobianOfATupleIsATupleOfJacobians() throws {
    let forward = """
      (tensor([[ 0.5403,  0.0000],
              [-0.0000, -0.4161]]), tensor([[-0.8415, -0.0000],
              [-0.0000, -0.9093]]))

      """
    let reverse = """
      (tensor([[ 0.5403, -0.0000],
              [ 0.0000, -0.4161]]), tensor([[-0.8415, -0.0000],
              [-0.0000, -0.9093]]))

      """
    for (transform, expected) in [("jacrev", reverse), ("jacfwd", forward), ("jacobian", forward)] {
      let run = try Nabla(["f(x) = (sin(x), cos(x)); \(transform)(f)([1.0, 2.0])"])
      #expect(run.status == 0, "\(run.stderr)")
      #expect(run.stdout == expected, "\(transform)")
    }
  }

  @Test func scriptFileGivesTheSameNumbers() throws {
    let dir = try Nabla.temporaryDirectory()
    let script = dir.appendingPathComponent("t.nb")
    try
      "seed(0)\n# the tutorial's inputs\n\(Self.tutorial.replacingOccurrences(of: "; ", with: "\n"))\n"
      .write(to: script, atomically: true, encoding: .utf8)
    let run = try Nabla(["-f", script.path])
    #expect(run.status == 0)
    #expect(run.stdout == Self.tutorialOutput)
  }

  @Test func pipedStandardInputGivesTheSameNumbers() throws {
    let run = try Nabla(
      ["--seed", "0"], stdin: Self.tutorial.replacingOccurrences(of: "; ", with: "\n"))
    #expect(run.status == 0)
    #expect(run.stdout == Self.tutorialOutput)
    let dash = try Nabla(["--seed", "0", "-f", "-"], stdin: Self.tutorial)
    #expect(dash.stdout == Self.tutorialOutput)
  }

  @Test func jsonOutputParsesAndHasTheSameNumbers() throws {
    let pretty = try Nabla(["--seed", "0", "--format", "plain", Self.tutorial])
    let run = try Nabla(["--seed", "0", "--format", "json", Self.tutorial])
    #expect(run.status == 0)
    let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
    #expect(object?["dtype"] as? String == "float32")
    #expect(object?["shape"] as? [Int] == [16])
    let data = (object?["data"] as? [Double]) ?? []
    let plain = pretty.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap {
      Double($0)
    }
    #expect(data.count == 16)
    #expect(data == plain)
    #expect(abs(data[0] - -0.6863) < 5e-5)
  }

  /// `None` written as an expression prints `null` in JSON (calls that return nothing, such
  /// as `seed`, print nothing), and inside a tuple too.
  @Test func noneIsNullInJSON() throws {
    let run = try Nabla(["--format", "json", "None; seed(0); (1, None)"])
    #expect(run.stdout == "null\n[1,null]\n")
  }

  /// A script starting with `#!/usr/bin/env nabla` runs as a command: the kernel passes its
  /// path as the program argument.
  @Test func shebangScriptsRun() throws {
    let dir = try Nabla.temporaryDirectory()
    let script = dir.appendingPathComponent("double.nb")
    try "#!/usr/bin/env nabla\nx = [1., 2]\n2 * x\n".write(
      to: script, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
    let bin = URL(fileURLWithPath: Nabla.executable).deletingLastPathComponent().path
    let p = Process()
    p.executableURL = script
    p.environment = ["PATH": bin + ":/usr/bin:/bin"]
    let out = Pipe()
    p.standardOutput = out
    // a process another test forks while the script is being written inherits its open file,
    // and exec then fails with ETXTBSY until that process has exec'd too: try again briefly
    for attempt in 1... {
      do {
        try p.run()
        break
      } catch  where attempt < 100 && "\(error)".contains("Text file busy") {
        usleep(20_000)
      }
    }
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    #expect(p.terminationStatus == 0)
    #expect(text == "tensor([2., 4.])\n")
  }

  @Test func valuesGoToStdoutDiagnosticsToStderr() throws {
    let run = try Nabla(["1 + 1; ones(2) + ones(3)"])
    #expect(run.stdout == "2\n")
    #expect(
      run.stderr == """
        <program>:1:16: error: cannot add f32[2] and f32[3]: shapes do not broadcast
        1 | 1 + 1; ones(2) + ones(3)
          |        ~~~~~~~ ^ ~~~~~~~
          = help: operands must have equal shapes, or shapes that broadcast (NumPy rules)

        """)
    #expect(run.status == 1)
  }

  @Test func syntaxErrorExitsTwoWithACaret() throws {
    let run = try Nabla(["tanh(W*x + )"])
    #expect(run.status == 2)
    #expect(
      run.stderr == """
        <program>:1:12: error: expected an expression, found ')'
        1 | tanh(W*x + )
          |            ^

        """)
  }

  @Test func chainedComparisonIsASyntaxErrorAndNothingRuns() throws {
    let run = try Nabla(["x = 2; x\n1 < x < 3"])
    #expect(run.status == 2)
    #expect(run.stdout.isEmpty)
    #expect(
      run.stderr == """
        <program>:2:7: error: comparison operators cannot be chained
        2 | 1 < x < 3
          |   ~   ^
          = help: comparisons do not chain; write (1 < x) .* (x < 3)

        """)
    #expect(try Nabla(["x = 2; (1 < x) .* (x < 3)"]).stdout == "1\n")
    #expect(try Nabla(["x = [1, 2, 5]; (1 < x) < 3"]).stdout == "tensor([True, True, True])\n")
  }

  @Test func shapeErrorExitsOneAndNamesBothShapes() throws {
    let run = try Nabla(["W = ones(16, 16); x = ones(15)\ntanh(W*x + 1)"])
    #expect(run.status == 1)
    #expect(
      run.stderr == """
        <program>:2:7: error: cannot multiply f32[16,16] by f32[15]: inner dimensions differ (16 vs 15)
        2 | tanh(W*x + 1)
          |      ~^~
          = help: the left operand has 16 columns but the right one has 15 rows; '.*' is the elementwise product

        """)
  }

  /// The one line of usage every usage error ends with.
  static let usageTail = "usage: nabla [OPTIONS] PROGRAM | -f FILE   (see 'nabla --help')\n"

  @Test func usageErrorExitsTwo() throws {
    let run = try Nabla(["--no-such-option"])
    #expect(run.status == 2)
    #expect(run.stdout.isEmpty)
    #expect(run.stderr == "nabla: error: Unknown option '--no-such-option'\n" + Self.usageTail)
  }

  @Test(arguments: [
    (
      ["--dtype", "f16", "1"],
      "The value 'f16' is invalid for '--dtype <dtype>'. Please provide one of 'f32' and 'f64'.",
      "--dtype <dtype>  Default floating dtype of literals and constructors."
    ),
    (
      ["--format", "xml", "1"],
      "The value 'xml' is invalid for '--format <format>'. Please provide one of 'pretty', 'json' or 'plain'.",
      "--format <format>  How values are printed."
    ),
    (
      ["--color", "sometimes", "1"],
      "The value 'sometimes' is invalid for '--color <color>'. Please provide one of 'auto', 'always' or 'never'.",
      "--color <color>  Colour in diagnostics, the REPL and plots; auto colours only a terminal."
    ),
  ])
  func badOptionValueIsAUsageErrorNamingTheChoices(
    _ arguments: [String], _ message: String, _ help: String
  ) throws {
    let run = try Nabla(arguments)
    #expect(run.status == 2)
    #expect(run.stdout.isEmpty)
    #expect(run.stderr == "nabla: error: \(message)\nhelp: \(help)\n" + Self.usageTail)
  }

  /// A program that starts with '-' is taken for an option; the error says to put '--' first.
  @Test func programStartingWithMinusGetsAHint() throws {
    let run = try Nabla(["-1+2"])
    #expect(run.status == 2)
    #expect(
      run.stderr == "nabla: error: Unknown option '-1+2'\n"
        + "help: a program that starts with '-' reads as an option; put '--' before it: "
        + "nabla -- '-1+2'\n" + Self.usageTail)
    #expect(try Nabla(["--", "-1+2"]).stdout == "1\n")
  }

  /// `--last` prints only the last expression's value; the statements before it still run
  /// (the random draws are the same as without it).
  @Test func lastPrintsOnlyTheLastValue() throws {
    let run = try Nabla(["--last", "--seed", "0", "x = randn(2); x; y = 2 * x; y; z = 1"])
    #expect(run.status == 0)
    #expect(run.stdout == "tensor([ 3.0820, -0.5869])\n")
  }

  @Test func helpListsTheChoicesOfTypedOptions() throws {
    let help = try Nabla(["--help"])
    #expect(help.status == 0)
    // The help is wrapped to the terminal's width; compare it with single spaces.
    let text = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(
      text.contains(
        "--dtype <dtype> Default floating dtype of literals and constructors. (default: f32) "
          + "f32 - float32, as PyTorch's default f64 - float64"))
    #expect(
      text.contains(
        "--format <format> How values are printed. (default: pretty) pretty - as PyTorch "
          + "prints tensors json - one JSON document per value"))
    #expect(
      text.contains("(default: auto) auto - colour what goes to a terminal (diagnostics, plots)"))
  }

  @Test(arguments: [("f64", "float64"), ("float64", "float64"), ("float32", "float32")])
  func dtypeAcceptsShortAndLongSpellings(_ spelling: String, _ dtype: String) throws {
    let run = try Nabla(["--dtype", spelling, "--format", "json", "ones(1)"])
    #expect(run.status == 0)
    #expect(run.stdout == "{\"dtype\":\"\(dtype)\",\"shape\":[1],\"data\":[1.0]}\n")
  }

  @Test func helpAndVersionExitZero() throws {
    let help = try Nabla(["--help"])
    #expect(help.status == 0)
    #expect(help.stdout.contains("EXAMPLES"))
    let version = try Nabla(["--version"])
    #expect(version.status == 0)
    let lines = version.stdout.split(separator: "\n")
    #expect(lines.count == 3)
    #expect(lines.first?.wholeMatch(of: /nabla \d+\.\d+\.\d+/) != nil)
    #expect(
      lines.dropFirst().first?.wholeMatch(of: /commit ([0-9a-f]{7,}(-dirty)?|unknown)/) != nil)
    #expect(lines.last?.hasPrefix("kernels: ") == true)
  }

  @Test func keepGoingReportsAndContinues() throws {
    let script = "1\nundefined_name\n2\n"
    let diagnostic = """
      <stdin>:2:1: error: unknown name 'undefined_name'
      2 | undefined_name
        | ^^^^^^^^^^^^^^

      """
    let stop = try Nabla([], stdin: script)
    #expect(stop.stdout == "1\n")
    #expect(stop.status == 1)
    #expect(stop.stderr == diagnostic)
    let go = try Nabla(["--keep-going"], stdin: script)
    #expect(go.stdout == "1\n2\n")
    #expect(go.status == 1)
    #expect(go.stderr == diagnostic)
  }

  @Test func keepGoingRecoversFromSyntaxErrors() throws {
    let diagnostic = """
      <stdin>:2:1: error: expected an expression, found ')'
      2 | )
        | ^

      """
    let go = try Nabla(["--keep-going"], stdin: "1\n)\n2\n")
    #expect(go.stdout == "1\n2\n")
    #expect(go.status == 2)
    #expect(go.stderr == diagnostic)
    let stop = try Nabla([], stdin: "1\n)\n2\n")
    #expect(stop.stdout.isEmpty)
    #expect(stop.status == 2)
    #expect(stop.stderr == diagnostic)
  }

  /// `--check-nans`: the first operation that made a non-finite value from finite ones is an
  /// evaluation error (status 1) at its span; without the flag the value is printed.
  @Test func checkNansExitsOneAtTheOrigin() throws {
    let program = "x = 0.\ny = grad(x -> sqrt(x))(x)\ny + 1"
    let checked = try Nabla(["--check-nans", program])
    #expect(checked.status == 1)
    #expect(checked.stdout.isEmpty)
    #expect(checked.stderr.hasPrefix("<program>:2:15: error: the derivative of sqrt at 0 is inf\n"))
    let unchecked = try Nabla([program])
    #expect(unchecked.status == 0)
    #expect(unchecked.stdout == "tensor(inf)\n")
    #expect(unchecked.stderr.isEmpty)
  }

  @Test func failedAssertExitsOne() throws {
    let run = try Nabla(["assert allclose(ones(2), zeros(2)), \"not close\""])
    #expect(run.status == 1)
    #expect(
      run.stderr == """
        <program>:1:8: error: assertion failed: not close
        1 | assert allclose(ones(2), zeros(2)), "not close"
          |        ^^^^^^^^^^^^^^^^^^^^^^^^^^^

        """)
    #expect(try Nabla(["assert allclose(ones(2), ones(2))"]).status == 0)
  }

  @Test func defineBindsBeforeRunning() throws {
    let run = try Nabla([
      "-D", "A=[[2, 0], [0, 4]]", "-D", "v = ones(2)", "--dtype", "f64", "A * v",
    ])
    #expect(run.stdout == "tensor([2., 4.])\n")
    let malformed = try Nabla(["-D", "1x=3", "1"])
    #expect(malformed.status == 2)
    #expect(malformed.stderr == "nabla: error: -D expects NAME=PROGRAM, got '1x=3'\n")
  }

  @Test func definePrintsNothingButTheProgramDoes() throws {
    let run = try Nabla(["-D", "A=seed(0); 1 + 1; randn(2)", "A"])
    #expect(run.status == 0)
    #expect(run.stdout == "tensor([ 1.5410, -0.2934])\n")
    #expect(run.stderr.isEmpty)
  }

  @Test func defineEndingWithoutAValueExitsTwoBeforeTheProgramRuns() throws {
    let run = try Nabla(["-D", "A=v = ones(2)\nw = 2 * v", "1; A"])
    #expect(run.status == 2)
    #expect(run.stdout.isEmpty)
    #expect(
      run.stderr == """
        <define A>:2:1: error: nothing to bind to 'A': the program ends with an assignment, which has no value
        2 | w = 2 * v
          | ^^^^^^^^^
          = help: -D binds NAME to the value of the program's last statement; end it with an expression

        """)
  }

  @Test func dtypeF64IsTheDefault() throws {
    let run = try Nabla(["--dtype", "f64", "x = [1.5, 2]; (x, sum(x))"])
    #expect(run.stdout == "(tensor([1.5000, 2.0000]), tensor(3.5000))\n")
    let mixed = try Nabla(["ones(2, dtype=\"float64\") * 2.5"])
    #expect(mixed.stdout == "tensor([2.5000, 2.5000], dtype=torch.float64)\n")
  }

  @Test func trailingSemicolonStillPrints() throws {
    #expect(try Nabla(["1 + 2;"]).stdout == "3\n")
  }

  @Test func loadFromStandardInput() throws {
    let run = try Nabla(["sum(load(\"-\")^2)"], stdin: "1\n2\n3\n4\n5\n")
    #expect(run.stdout == "tensor(55.)\n")
    let csv = try Nabla(["load(\"-\")"], stdin: "1, 2\n3, 4\n")
    #expect(csv.stdout == "tensor([[1., 2.],\n        [3., 4.]])\n")
    let json = try Nabla(
      ["load(\"-\")"], stdin: "{\"dtype\":\"float64\",\"shape\":[2],\"data\":[1.0,\"inf\"]}")
    #expect(json.stdout == "tensor([1., inf], dtype=torch.float64)\n")
  }

  @Test func timeAndGraphGoToStderr() throws {
    let run = try Nabla(["--time", "--graph", "x = ones(3); tanh(x * 2)"])
    #expect(run.status == 0)
    #expect(run.stdout == "tensor([0.9640, 0.9640, 0.9640])\n")
    #expect(run.stderr.contains("{ lambda"))
    #expect(run.stderr.contains("# peak memory 36 B"))  // the input (12 B) and two results
    #expect(run.stderr.contains("time: compile"))
  }

  @Test func benchPrintsOneLineAndTheValueOnce() throws {
    let run = try Nabla(["--bench", "x = ones(8); sum(sin(x))"])
    #expect(run.status == 0)
    #expect(run.stdout == "tensor(6.7318)\n")
    let line = run.stderr.split(separator: "\n").last.map(String.init) ?? ""
    #expect(line.hasPrefix("bench: median "))
    #expect(line.contains(" runs, compile "))
  }

  @Test func colorOnlyWhenAsked() throws {
    let diagnostic = """
      <program>:1:1: error: unknown name 'nope'
      1 | nope
        | ^^^^
        = help: did you mean 'None'?

      """
    // Standard error is a pipe here, so `auto` does not colour.
    #expect(try Nabla(["nope"]).stderr == diagnostic)
    #expect(try Nabla(["--color", "never", "nope"]).stderr == diagnostic)
    let noColor = try Nabla(["--color", "auto", "nope"], environment: ["NO_COLOR": "1"])
    #expect(noColor.stderr == diagnostic)
    let colored = try Nabla(["--color", "always", "nope"])
    let bold = "\u{1B}[1m"
    let red = "\u{1B}[1;31m"
    let cyan = "\u{1B}[1;36m"
    let reset = "\u{1B}[0m"
    #expect(
      colored.stderr == """
        \(bold)<program>:1:1:\(reset) \(red)error:\(reset) \(bold)unknown name 'nope'\(reset)
        1 | nope
          | \(red)^^^^\(reset)
          = \(cyan)help:\(reset) did you mean 'None'?

        """)
  }

  @Test func maxMemoryRefusesLargePlans() throws {
    let run = try Nabla(["--max-memory", "1M", "sum(ones(1000, 1000))"])
    #expect(run.status == 1)
    #expect(
      run.stderr == """
        <program>:1:10: error: this needs 7.6 MiB of memory, more than the limit of 1.0 MiB
        1 | sum(ones(1000, 1000))
          |          ^^^^^^^^^^
          = help: raise the limit to --max-memory 8M or more, or work on smaller tensors

        """)
    #expect(
      try Nabla(["--max-memory", "64M", "sum(ones(1000, 1000))"]).stdout == "tensor(1000000.)\n")
  }
}
