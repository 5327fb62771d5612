import Testing

@testable import NablaCore

/// `-D NAME=PROGRAM` through ``Session/define(_:)``: it prints nothing, binds NAME to the value
/// of PROGRAM's last statement, and refuses a PROGRAM that ends without a value.
@Suite struct DefineTests {
  /// A session that records what it prints on each stream.
  final class Recorder {
    let session = Session()
    var values = ""
    var diagnostics = ""

    init() {
      session.output = { [unowned self] stream, text in
        if stream == .values { values += text } else { diagnostics += text }
      }
    }
  }

  @Test func defineBindsTheLastValueAndPrintsNothing() {
    let r = Recorder()
    #expect(r.session.define("A=seed(0); 1 + 1; x = 3; randn(2) * x") == 0)
    #expect(r.values == "")
    #expect(r.diagnostics == "")
    #expect(r.session.lastValue == nil)
    #expect(r.session.run(SourceFile(name: "<t>", text: "A")) == 0)
    #expect(r.values == "tensor([ 4.6230, -0.8803])\n")
  }

  @Test(arguments: [
    (
      "A=x = 3",
      """
      <define A>:1:1: error: nothing to bind to 'A': the program ends with an assignment, which has no value
      1 | x = 3
        | ^^^^^
        = help: -D binds NAME to the value of the program's last statement; end it with an expression

      """
    ),
    (
      "A=x = 1\na, b = (x, 2)",
      """
      <define A>:2:1: error: nothing to bind to 'A': the program ends with an assignment, which has no value
      2 | a, b = (x, 2)
        | ^^^^^^^^^^^^^
        = help: -D binds NAME to the value of the program's last statement; end it with an expression

      """
    ),
    (
      "A = x = 1; f(y) = y",
      """
      <define A>:1:9: error: nothing to bind to 'A': the program ends with a function definition, which has no value
      1 |  x = 1; f(y) = y
        |         ^^^^^^^^
        = help: -D binds NAME to the value of the program's last statement; end it with an expression

      """
    ),
    (
      "A=x = 1; assert x",
      """
      <define A>:1:8: error: nothing to bind to 'A': the program ends with an assert, which has no value
      1 | x = 1; assert x
        |        ^^^^^^^^
        = help: -D binds NAME to the value of the program's last statement; end it with an expression

      """
    ),
    (
      "A=",
      "<define A>:1:1: error: nothing to bind to 'A': the program is empty\n1 | \n  | ^\n"
        + "  = help: -D binds NAME to the value of the program's last statement; end it with an expression\n"
    ),
    (
      "A=;",
      """
      <define A>:1:1: error: nothing to bind to 'A': the program is empty
      1 | ;
        | ^
        = help: -D binds NAME to the value of the program's last statement; end it with an expression

      """
    ),
  ])
  func programWithoutAValueIsAUsageErrorAndRunsNothing(_ definition: String, _ rendered: String) {
    let r = Recorder()
    #expect(r.session.define(definition) == 2)
    #expect(r.values == "")
    #expect(r.diagnostics == rendered)
    #expect(r.session.lastDiagnostic?.message.id == "defineWithoutValue(_:lastStatement:)")
    #expect(r.session.bindings.isEmpty)
  }

  @Test func malformedDefinitionIsAUsageError() {
    let r = Recorder()
    #expect(r.session.define("1x=3") == 2)
    #expect(r.diagnostics == "nabla: error: -D expects NAME=PROGRAM, got '1x=3'\n")
  }

  @Test func errorsInsideTheProgramNameTheDefinition() {
    let r = Recorder()
    #expect(r.session.define("A=1 +") == 2)
    #expect(
      r.diagnostics == """
        <define A>:1:4: error: expected an expression, found end of input
        1 | 1 +
          |    ^

        """)
    let s = Recorder()
    #expect(s.session.define("A=ones(2) + ones(3)") == 1)
    #expect(
      s.diagnostics == """
        <define A>:1:9: error: cannot add f32[2] and f32[3]: shapes do not broadcast
        1 | ones(2) + ones(3)
          | ~~~~~~~ ^ ~~~~~~~
          = help: operands must have equal shapes, or shapes that broadcast (NumPy rules)

        """)
  }
}
