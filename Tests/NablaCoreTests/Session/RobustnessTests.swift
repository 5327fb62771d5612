import Testing

@testable import NablaCore

/// Hostile input is a diagnostic with a source location, never a crash, hang or runaway
/// allocation (SPEC §2.7). The session's memory limit in these tests is 1 GiB.
@Suite struct RobustnessTests {
  @Test(arguments: [
    ("zeros(100000, 100000, 100000)", "memoryLimitExceeded(bytes:limit:)"),
    ("zeros(100000, 100000, 100000, 100000, 100000)", "sizeOverflow(_:)"),
    ("zeros(2^62, 4)", "sizeOverflow(_:)"),
    ("zeros(1000000, 1000000)", "memoryLimitExceeded(bytes:limit:)"),
    ("randn(-1)", "invalidShape(_:)"),
    ("ones(3)[5]", "indexOutOfRange(_:size:axis:)"),
    ("ones(3)[1, 2]", "tooManyIndices(_:rank:)"),
    ("ones(3)[::0]", "invalidArgument(_:_:help:)"),
    ("sum(ones(3), dim=4)", "axisOutOfRange(_:rank:)"),
    ("9223372036854775807 + 1", "integerOverflow(_:)"),
    ("4611686018427387904 * 4", "integerOverflow(_:)"),
    ("-(-9223372036854775807 - 1)", "integerOverflow(_:)"),
    ("2^100", "integerOverflow(_:)"),
    ("undefined_thing + 1", "unknownName(_:suggestion:)"),
    ("sin(1, 2)", "argumentCount(_:expected:got:)"),
    ("sum(ones(2), dimension=0)", "unknownKeyword(_:function:suggestion:)"),
    ("f(x) = f(x) + 1; f(1)", "recursionTooDeep(_:limit:)"),
    ("f(x) = f(x) + f(x); f(1)", "recursionTooDeep(_:limit:)"),
    ("f(x) = x; f(1, 2)", "argumentCount(_:expected:got:)"),
    ("1(2)", "notAFunction(_:)"),
    ("reshape(ones(6), 4, -1)", "invalidShape(_:)"),
    ("inv(ones(2, 3))", "shapeMismatch(_:)"),
    ("ones(2) * ones(3)", "matmulMismatch(_:_:_:_:)"),
    ("load(\"/nonexistent/file.npy\")", "fileError(_:_:)"),
    ("load(\"/\")", "fileError(_:_:)"),
    ("a, b = (1, 2, 3)", "destructureCount(names:values:)"),
    ("max(zeros(0))", "emptyReduction(_:)"),
    ("zeros(\"3\")", "notAnInteger(_:in:)"),
    ("ones(3).foo", "unknownName(_:suggestion:)"),
    ("x = zeros(0, 2^62); concat((x, x, x), dim=1)", "sizeOverflow(_:)"),
    ("kron(zeros(0, 2^40), zeros(0, 2^40))", "sizeOverflow(_:)"),
    ("zeros(2^62, 2^62, 0)", "sizeOverflow(_:)"),
    ("grad(x -> x * 2)([1, 2])", "nonScalarGradient(_:_:)"),
    ("grad(x -> sum(x), argnums=1)([1, 2])", "argnumsOutOfRange(_:count:)"),
    ("grad(x -> sum(x), argnums=-2)([1, 2])", "argnumsOutOfRange(_:count:)"),
    ("vmap(x -> x, in_dims=(0, 0))([1, 2])", "invalidArgument(_:_:help:)"),
    ("vmap((x, y) -> x + y)(ones(2), ones(3))", "batchSizeMismatch(_:)"),
    ("vmap(x -> x, in_dims=None)([1])", "noBatchedArgument()"),
    ("vmap(x -> x, in_dims=3)([1])", "axisOutOfRange(_:rank:)"),
    ("jvp(x -> x, ([1, 2],), ([1, 2, 3],))", "tangentMismatch(_:)"),
    ("jvp(x -> x, (1, 2), (1,))", "tangentMismatch(_:)"),
    ("vjp(x -> x^2, [1, 2])[1]([1])", "tangentMismatch(_:)"),
    ("grad(3)(1)", "notAFunction(_:)"),
    ("grad(x -> sum(x))(\"s\")", "needsTensors(_:got:)"),
    ("f(x) = grad(f)(x); f(1)", "recursionTooDeep(_:limit:)"),
    ("grad(x -> \"s\")(1)", "transformOutput(_:got:)"),
    ("grad(x -> sum(x), has_aux=True)([1])", "auxOutput(_:got:)"),
    ("grad(x -> sum(x), argnum=0)", "unknownKeyword(_:function:suggestion:)"),
  ])
  func errorIsADiagnostic(_ program: String, _ id: String) {
    let run = Run(program)
    #expect(run.status == 1, "\(run.values)")
    #expect(run.diagnostic?.message.id == id, "\(run.diagnostics)")
    #expect(run.diagnostic?.range != nil, "no source location: \(run.diagnostics)")
  }

  @Test func exponentialExpansionIsRefused() {
    var program = "f0(x) = x + 1\n"
    for i in 1...40 { program += "f\(i)(x) = f\(i - 1)(x) + f\(i - 1)(x)\n" }
    program += "f40(1)"
    let run = Run(program)
    #expect(run.diagnostic?.message.id == "tooManyCalls(limit:)")
  }

  @Test func deeplyNestedCallsThroughFunctionsStayWithinLimits() {
    var program = "f0(x) = x + 1\n"
    for i in 1...150 { program += "f\(i)(x) = f\(i - 1)(x)\n" }
    program += "f150(1)"
    #expect(Run(program).values == "2\n")
  }

  @Test func malformedFilesAreDiagnostics() throws {
    let dir = "/tmp/nabla-robustness-\(UInt64.random(in: 0..<UInt64.max))"
    _ = try? writeBytes([], to: dir)  // make sure the name is free of a directory
    let cases: [(String, [UInt8])] = [
      ("bad.npy", Array("\u{93}NUMPY garbage".utf8)),
      ("int.npy", NPY.header(descr: "<i8", shape: "(2,)") + [UInt8](repeating: 0, count: 16)),
      ("short.npy", NPY.header(descr: "<f4", shape: "(100,)") + [0, 0, 0, 0]),
      ("fortran.npy", NPY.header(descr: "<f4", shape: "(1,)", fortran: true) + [0, 0, 0, 0]),
      ("bad.json", Array("{\"data\": [1, 2".utf8)),
      ("ragged.json", Array("[[1, 2], [3]]".utf8)),
      ("ragged.txt", Array("1 2\n3\n".utf8)),
      ("words.txt", Array("one two\n".utf8)),
      ("binary.dat", [0, 1, 2, 0, 255]),
    ]
    for (name, bytes) in cases {
      let path = dir + "-" + name
      try writeBytes(bytes, to: path)
      let run = Run("load(\"\(path)\")")
      #expect(run.diagnostic?.message.id == "fileError(_:_:)", "\(name): \(run.diagnostics)")
    }
  }
}

extension NPY {
  /// A version-1.0 header for hand-made test files.
  static func header(descr: String, shape: String, fortran: Bool = false) -> [UInt8] {
    var h =
      "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }"
    h += String(repeating: " ", count: (64 - (10 + h.utf8.count + 1) % 64) % 64) + "\n"
    return magic + [1, 0, UInt8(h.utf8.count & 0xFF), UInt8(h.utf8.count >> 8)] + Array(h.utf8)
  }
}
