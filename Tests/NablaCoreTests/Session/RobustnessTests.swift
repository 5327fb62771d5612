import Testing

@testable import NablaCore

/// Hostile input is a diagnostic with a source location, never a crash, hang or runaway
/// allocation. The session's memory limit in these tests is 1 GiB.
@Suite struct RobustnessTests {
  /// Each case is a program, the catalog entry of its error, and the rendered diagnostic:
  /// where it points, what it says and the help it gives.
  @Test(arguments: [
    (
      "x = ones(3); x.sum()", "noMethods(_:)",
      """
      <test>:1:16: error: tensors have no methods: '.sum(…)' is the function 'sum'
      1 | x = ones(3); x.sum()
        |                ^^^
        = help: write sum(x, …); the attributes are x.shape, x.ndim, x.dtype and x.T

      """
    ),
    (
      "x = 1; x += 1", "compoundAssignment(_:target:)",
      """
      <test>:1:10: error: nabla has no '+='
      1 | x = 1; x += 1
        |          ^^
        = help: write x = x + …

      """
    ),
    (
      "[1 2 3]", "listWithoutCommas(found:)",
      """
      <test>:1:4: error: expected ',' between list elements, found number '2'
      1 | [1 2 3]
        |    ^
        = help: separate elements with commas: [1, 2, 3] (spaces do not, unlike MATLAB)

      """
    ),
    (
      "f(x) = x^2; grad(f(2.0))", "notAFunction(_:help:)",
      """
      <test>:1:18: error: f32[] is not a function
      1 | f(x) = x^2; grad(f(2.0))
        |                  ^^^^^^
        = help: 'grad' takes the function 'f', not its value 'f(2.0)': write grad(f)(2.0)

      """
    ),
    (
      "x = ones(3); x(1)", "notAFunction(_:help:)",
      """
      <test>:1:14: error: f32[3] is not a function
      1 | x = ones(3); x(1)
        |              ^
        = help: index a tensor with brackets: x[…]

      """
    ),
    (
      "size(ones(2))", "unknownName(_:suggestion:)",
      """
      <test>:1:1: error: unknown name 'size'
      1 | size(ones(2))
        | ^^^^
        = help: the shape is x.shape (or shape(x)); numel(x) counts elements

      """
    ),
    (
      "np.sin(1)", "unknownName(_:suggestion:)",
      """
      <test>:1:1: error: unknown name 'np'
      1 | np.sin(1)
        | ^^
        = help: built-ins have no module prefix: write sin(x), not np.sin(x)

      """
    ),
    (
      "f(x) = x * ones(4)\ng(y) = f(y) + 1\ng(ones(3))", "matmulMismatch(_:_:_:_:)",
      """
      <test>:1:10: error: cannot multiply f32[3] by f32[4]: inner dimensions differ (3 vs 4)
      1 | f(x) = x * ones(4)
        |        ~ ^ ~~~~~~~
        = help: the left operand has 3 columns but the right one has 4 rows; '.*' is the elementwise product
      <test>:2:8: note: in this call of 'f'
      2 | g(y) = f(y) + 1
        |        ----
      <test>:3:1: note: in this call of 'g'
      3 | g(ones(3))
        | ----------

      """
    ),
    (
      "A = [[1, 2], [2, 4]]; inv(A)", "singularMatrix(_:)",
      """
      <test>:1:23: error: inv: the matrix is singular (its LU factorisation has a zero pivot)
      1 | A = [[1, 2], [2, 4]]; inv(A)
        |                       ^^^^^^
        = help: its rows are linearly dependent; NumPy and PyTorch refuse it too

      """
    ),
    (
      "solve(zeros(2, 2), [1, 1])", "singularMatrix(_:)",
      """
      <test>:1:1: error: solve: the matrix is singular (its LU factorisation has a zero pivot)
      1 | solve(zeros(2, 2), [1, 1])
        | ^^^^^^^^^^^^^^^^^^^^^^^^^^
        = help: its rows are linearly dependent; NumPy and PyTorch refuse it too

      """
    ),
    (
      "zeros(100000, 100000, 100000)", "memoryLimitExceeded(bytes:limit:)",
      """
      <test>:1:7: error: this needs 7.1 PiB of memory, more than the limit of 1.0 GiB
      1 | zeros(100000, 100000, 100000)
        |       ^^^^^^^^^^^^^^^^^^^^^^
        = help: raise the limit to --max-memory 7450581G or more, or work on smaller tensors

      """
    ),
    (
      "zeros(100000, 100000, 100000, 100000, 100000)", "sizeOverflow(_:)",
      """
      <test>:1:7: error: shape (100000, 100000, 100000, 100000, 100000) has too many elements
      1 | zeros(100000, 100000, 100000, 100000, 100000)
        |       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

      """
    ),
    (
      "zeros(2^62, 4)", "sizeOverflow(_:)",
      """
      <test>:1:7: error: shape (4611686018427387904, 4) has too many elements
      1 | zeros(2^62, 4)
        |       ^^^^^^^

      """
    ),
    (
      "zeros(1000000, 1000000)", "memoryLimitExceeded(bytes:limit:)",
      """
      <test>:1:7: error: this needs 7.3 TiB of memory, more than the limit of 1.0 GiB
      1 | zeros(1000000, 1000000)
        |       ^^^^^^^^^^^^^^^^
        = help: raise the limit to --max-memory 7451G or more, or work on smaller tensors

      """
    ),
    (
      "randn(-1)", "invalidShape(_:)",
      """
      <test>:1:7: error: invalid shape: size -1 is negative
      1 | randn(-1)
        |       ^^

      """
    ),
    (
      "ones(3)[5]", "indexOutOfRange(_:size:axis:)",
      """
      <test>:1:9: error: index 5 is out of range for axis 0 of size 3
      1 | ones(3)[5]
        |         ^
        = help: valid indices run from -3 to 2

      """
    ),
    (
      "ones(3)[1, 2]", "tooManyIndices(_:rank:)",
      """
      <test>:1:12: error: too many indices: 2 for a tensor of rank 1
      1 | ones(3)[1, 2]
        |            ^

      """
    ),
    (
      "ones(3)[::0]", "invalidArgument(_:_:help:)",
      """
      <test>:1:9: error: 'slice': step cannot be zero
      1 | ones(3)[::0]
        |         ^^^

      """
    ),
    (
      "sum(ones(3), dim=4)", "axisOutOfRange(_:rank:)",
      """
      <test>:1:14: error: axis 4 is out of range for a tensor of rank 1
      1 | sum(ones(3), dim=4)
        |              ^^^^^
        = help: axes run from -1 to 0

      """
    ),
    (
      "9223372036854775807 + 1", "integerOverflow(_:)",
      """
      <test>:1:21: error: integer overflow in '+'
      1 | 9223372036854775807 + 1
        |                     ^

      """
    ),
    (
      "4611686018427387904 * 4", "integerOverflow(_:)",
      """
      <test>:1:21: error: integer overflow in '*'
      1 | 4611686018427387904 * 4
        |                     ^

      """
    ),
    (
      "-(-9223372036854775807 - 1)", "integerOverflow(_:)",
      """
      <test>:1:1: error: integer overflow in '-'
      1 | -(-9223372036854775807 - 1)
        | ^^^^^^^^^^^^^^^^^^^^^^^^^^^

      """
    ),
    (
      "2^100", "integerOverflow(_:)",
      """
      <test>:1:2: error: integer overflow in '^'
      1 | 2^100
        |  ^

      """
    ),
    (
      "undefined_thing + 1", "unknownName(_:suggestion:)",
      """
      <test>:1:1: error: unknown name 'undefined_thing'
      1 | undefined_thing + 1
        | ^^^^^^^^^^^^^^^

      """
    ),
    (
      "sin(1, 2)", "argumentCount(_:expected:got:parameters:)",
      """
      <test>:1:8: error: 'sin' takes 1 argument, got 2
      1 | sin(1, 2)
        |        ^
        = help: see ':help sin' for its arguments

      """
    ),
    (
      "sum(ones(2), dimension=0)", "unknownKeyword(_:function:suggestion:)",
      """
      <test>:1:14: error: 'sum' has no keyword argument 'dimension'
      1 | sum(ones(2), dimension=0)
        |              ^^^^^^^^^^^

      """
    ),
    (
      "f(x) = f(x) + 1; f(1)", "recursionTooDeep(_:limit:)",
      """
      <test>:1:8: error: calls to 'f' nested more than 200 deep
      1 | f(x) = f(x) + 1; f(1)
        |        ^^^^
        = help: nabla functions are expanded when called, so recursion never ends; write it with tensor operations
      <test>:1:18: note: in this call of 'f'
      1 | f(x) = f(x) + 1; f(1)
        |                  ----

      """
    ),
    (
      "f(x) = f(x) + f(x); f(1)", "recursionTooDeep(_:limit:)",
      """
      <test>:1:8: error: calls to 'f' nested more than 200 deep
      1 | f(x) = f(x) + f(x); f(1)
        |        ^^^^
        = help: nabla functions are expanded when called, so recursion never ends; write it with tensor operations
      <test>:1:21: note: in this call of 'f'
      1 | f(x) = f(x) + f(x); f(1)
        |                     ----

      """
    ),
    (
      "f(x) = x; f(1, 2)", "argumentCount(_:expected:got:parameters:)",
      """
      <test>:1:16: error: 'f' takes 1 argument, got 2
      1 | f(x) = x; f(1, 2)
        |                ^
        = help: its parameters are (x)

      """
    ),
    (
      "1(2)", "notAFunction(_:help:)",
      """
      <test>:1:1: error: the integer 1 is not a function
      1 | 1(2)
        | ^

      """
    ),
    (
      "reshape(ones(6), 4, -1)", "invalidShape(_:)",
      """
      <test>:1:18: error: invalid shape: cannot reshape f32[6] to [4, -1]
      1 | reshape(ones(6), 4, -1)
        |                  ^^^^^

      """
    ),
    (
      "inv(ones(2, 3))", "shapeMismatch(_:)",
      """
      <test>:1:1: error: 'inv' needs a square matrix, got f32[2,3]
      1 | inv(ones(2, 3))
        | ^^^^^^^^^^^^^^^

      """
    ),
    (
      "ones(2) * ones(3)", "matmulMismatch(_:_:_:_:)",
      """
      <test>:1:9: error: cannot multiply f32[2] by f32[3]: inner dimensions differ (2 vs 3)
      1 | ones(2) * ones(3)
        | ~~~~~~~ ^ ~~~~~~~
        = help: the left operand has 2 columns but the right one has 3 rows; '.*' is the elementwise product

      """
    ),
    (
      "load(\"/nonexistent/file.npy\")", "fileError(_:_:help:)",
      """
      <test>:1:6: error: cannot read '/nonexistent/file.npy': No such file or directory
      1 | load("/nonexistent/file.npy")
        |      ^^^^^^^^^^^^^^^^^^^^^^^

      """
    ),
    (
      "load(\"/\")", "fileError(_:_:help:)",
      """
      <test>:1:6: error: cannot read '/': it is a directory
      1 | load("/")
        |      ^^^

      """
    ),
    (
      "a, b = (1, 2, 3)", "destructureCount(names:got:)",
      """
      <test>:1:8: error: cannot unpack a tuple of 3 values into 2 names
      1 | a, b = (1, 2, 3)
        | ~~~~   ^^^^^^^^^
        = help: the names on the left are nested like the tuple on the right

      """
    ),
    (
      "(a, (b, c)) = (1, 2)", "destructureCount(names:got:)",
      """
      <test>:1:15: error: cannot unpack the integer 2 into 2 names
      1 | (a, (b, c)) = (1, 2)
        |     ~~~~~~    ^^^^^^
        = help: the names on the left are nested like the tuple on the right

      """
    ),
    (
      "max(zeros(0))", "emptyReduction(_:)",
      """
      <test>:1:1: error: 'max' of an empty tensor has no value
      1 | max(zeros(0))
        | ^^^^^^^^^^^^^

      """
    ),
    (
      "zeros(\"3\")", "notAnInteger(_:in:)",
      """
      <test>:1:7: error: 'zeros' argument 'shape' needs an integer known before evaluation, got a string
      1 | zeros("3")
        |       ^^^
        = help: sizes, axes and indices are whole numbers such as 3 or -1

      """
    ),
    (
      "ones(3).foo", "unknownName(_:suggestion:)",
      """
      <test>:1:9: error: unknown name '.foo'
      1 | ones(3).foo
        |         ^^^

      """
    ),
    (
      "x = zeros(0, 2^62); concat((x, x, x), dim=1)", "sizeOverflow(_:)",
      """
      <test>:1:21: error: shape [f32[0,4611686018427387904], f32[0,4611686018427387904], f32[0,4611686018427387904]] has too many elements
      1 | x = zeros(0, 2^62); concat((x, x, x), dim=1)
        |                     ^^^^^^^^^^^^^^^^^^^^^^^^

      """
    ),
    (
      "kron(zeros(0, 2^40), zeros(0, 2^40))", "sizeOverflow(_:)",
      """
      <test>:1:1: error: shape kron(f32[0,1099511627776], f32[0,1099511627776]) has too many elements
      1 | kron(zeros(0, 2^40), zeros(0, 2^40))
        | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

      """
    ),
    (
      "zeros(2^62, 2^62, 0)", "sizeOverflow(_:)",
      """
      <test>:1:7: error: shape (4611686018427387904, 4611686018427387904, 0) has too many elements
      1 | zeros(2^62, 2^62, 0)
        |       ^^^^^^^^^^^^^

      """
    ),
    (
      "grad(x -> x * 2)([1, 2])", "nonScalarGradient(_:_:)",
      """
      <test>:1:1: error: 'grad' needs a scalar output; this function returns f32[2]
      1 | grad(x -> x * 2)([1, 2])
        | ^^^^^^^^^^^^^^^^^^^^^^^^
        = help: reduce it first, e.g. grad(x -> sum(f(x))), or use jacrev for the full Jacobian

      """
    ),
    (
      "grad(x -> sum(x), argnums=1)([1, 2])", "argnumsOutOfRange(_:count:)",
      """
      <test>:1:1: error: argnums 1 is out of range for a call with 1 argument
      1 | grad(x -> sum(x), argnums=1)([1, 2])
        | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
        = help: argnums counts from 0 to 0

      """
    ),
    (
      "grad(x -> sum(x), argnums=-2)([1, 2])", "argnumsOutOfRange(_:count:)",
      """
      <test>:1:1: error: argnums -2 is out of range for a call with 1 argument
      1 | grad(x -> sum(x), argnums=-2)([1, 2])
        | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
        = help: argnums counts from 0 to 0

      """
    ),
    (
      "vmap(x -> x, in_dims=(0, 0))([1, 2])", "invalidArgument(_:_:help:)",
      """
      <test>:1:1: error: 'vmap': in_dims has 2 entries for 1 argument
      1 | vmap(x -> x, in_dims=(0, 0))([1, 2])
        | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
        = help: give one entry per argument, or one integer or None for all of them

      """
    ),
    (
      "vmap((x, y) -> x + y)(ones(2), ones(3))", "batchSizeMismatch(_:)",
      """
      <test>:1:1: error: vmap got inconsistent sizes for the mapped axes: 2, 3
      1 | vmap((x, y) -> x + y)(ones(2), ones(3))
        | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
        = help: every batched argument must have the same size along its in_dims axis

      """
    ),
    (
      "vmap(x -> x, in_dims=None)([1])", "noBatchedArgument()",
      """
      <test>:1:1: error: vmap needs at least one batched argument
      1 | vmap(x -> x, in_dims=None)([1])
        | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
        = help: in_dims is None for every argument; give the axis to map over, e.g. in_dims=0

      """
    ),
    (
      "vmap(x -> x, in_dims=3)([1])", "axisOutOfRange(_:rank:)",
      """
      <test>:1:1: error: axis 3 is out of range for a tensor of rank 1
      1 | vmap(x -> x, in_dims=3)([1])
        | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^
        = help: axes run from -1 to 0

      """
    ),
    (
      "jvp(x -> x, ([1, 2],), ([1, 2, 3],))", "tangentMismatch(_:help:)",
      """
      <test>:1:1: error: 'jvp': the tangents need f32[2], got f32[3]
      1 | jvp(x -> x, ([1, 2],), ([1, 2, 3],))
        | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
        = help: the tangents must match the primals in number, shape and nesting of tuples

      """
    ),
    (
      "jvp(x -> x, (1, 2), (1,))", "tangentMismatch(_:help:)",
      """
      <test>:1:1: error: 'jvp' got 2 primals but 1 tangent
      1 | jvp(x -> x, (1, 2), (1,))
        | ^^^^^^^^^^^^^^^^^^^^^^^^^
        = help: give one tangent for each primal, in a tuple like the primals

      """
    ),
    (
      "vjp(x -> x^2, [1, 2])[1]([1])", "tangentMismatch(_:help:)",
      """
      <test>:1:1: error: 'vjp': the cotangents need f32[2], got f32[1]
      1 | vjp(x -> x^2, [1, 2])[1]([1])
        | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
        = help: the cotangents must match the output in number, shape and nesting of tuples

      """
    ),
    (
      "vjp(x -> (x, x), [1, 2])[1]([1, 1])", "structureMismatch(_:_:_:expected:got:)",
      """
      <test>:1:1: error: 'vjp': the cotangents are structured as *, the output as (*, *)
      1 | vjp(x -> (x, x), [1, 2])[1]([1, 1])
        | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
        = help: give one tensor of the same shape for each tensor of the output, in tuples nested alike

      """
    ),
    (
      "vmap(x -> (x, 2 * x), out_dims=(0, None))([1, 2])", "outDimsNoneForBatchedOutput(_:)",
      """
      <test>:1:1: error: 'vmap': out_dims is None for output 1, which depends on the mapped arguments
      1 | vmap(x -> (x, 2 * x), out_dims=(0, None))([1, 2])
        | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
        = help: give the axis where the batch goes, e.g. out_dims=0; None is for outputs the same for every item

      """
    ),
    (
      "grad(3)(1)", "notAFunction(_:help:)",
      """
      <test>:1:6: error: the integer 3 is not a function
      1 | grad(3)(1)
        |      ^

      """
    ),
    (
      "grad(x -> sum(x))(\"s\")", "needsTensors(_:got:)",
      """
      <test>:1:19: error: 'grad' differentiates tensors, got a string
      1 | grad(x -> sum(x))("s")
        |                   ^^^

      """
    ),
    (
      "f(x) = grad(f)(x); f(1)", "recursionTooDeep(_:limit:)",
      """
      <test>:1:8: error: calls to 'f' nested more than 200 deep
      1 | f(x) = grad(f)(x); f(1)
        |        ^^^^^^^^^^
        = help: nabla functions are expanded when called, so recursion never ends; write it with tensor operations
      <test>:1:20: note: in this call of 'f'
      1 | f(x) = grad(f)(x); f(1)
        |                    ----

      """
    ),
    (
      "grad(x -> \"s\")(1)", "transformOutput(_:got:)",
      """
      <test>:1:1: error: 'grad' needs a function returning tensors or tuples of them, got a string
      1 | grad(x -> "s")(1)
        | ^^^^^^^^^^^^^^^^^

      """
    ),
    (
      "grad(x -> sum(x), has_aux=True)([1])", "auxOutput(_:got:)",
      """
      <test>:1:1: error: 'grad' with has_aux=True needs a function returning (output, aux), got f32[]
      1 | grad(x -> sum(x), has_aux=True)([1])
        | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
        = help: return a tuple of two values: what is differentiated, and what is passed through

      """
    ),
    (
      "grad(x -> sum(x), argnum=0)", "unknownKeyword(_:function:suggestion:)",
      """
      <test>:1:19: error: 'grad' has no keyword argument 'argnum'
      1 | grad(x -> sum(x), argnum=0)
        |                   ^^^^^^^^
        = help: did you mean 'argnums'?

      """
    ),
  ])
  func errorIsADiagnostic(_ program: String, _ id: String, _ rendered: String) {
    let run = Run(program)
    // syntax errors exit with 2, before anything runs
    let syntax = ["compoundAssignment(_:target:)", "listWithoutCommas(found:)"].contains(id)
    #expect(run.status == (syntax ? 2 : 1), "\(run.values)")
    #expect(run.diagnostic?.message.id == id, "\(run.diagnostics)")
    #expect(run.diagnostics == rendered)
  }

  @Test func exponentialExpansionIsRefused() {
    var program = "f0(x) = x + 1\n"
    for i in 1...40 { program += "f\(i)(x) = f\(i - 1)(x) + f\(i - 1)(x)\n" }
    program += "f40(1)"
    let run = Run(program)
    #expect(run.diagnostic?.message.id == "tooManyCalls(limit:)")
    #expect(
      run.diagnostics == """
        <test>:4:9: error: this statement expands more than 200000 function calls
        4 | f3(x) = f2(x) + f2(x)
          |         ^^^^^
          = help: nabla expands functions where they are called; restructure the definitions
        <test>:5:9: note: in this call of 'f3'
        5 | f4(x) = f3(x) + f3(x)
          |         -----
        <test>:6:17: note: in this call of 'f4'
        6 | f5(x) = f4(x) + f4(x)
          |                 -----
        <test>:7:9: note: in this call of 'f5'
        7 | f6(x) = f5(x) + f5(x)
          |         -----

        """)
  }

  /// Sizes and orders at the edges of the integers, and empty tensors with huge axes, are
  /// results or diagnostics, never a trap.
  @Test(arguments: [
    "grad(x -> polygamma(9223372036854775807, x))(1.)",
    "diagonal(zeros((0, 4294967296, 4294967296)), 0, 1, 2)",
    "diagonal(ones(2, 3), -9223372036854775807)", "diagonal(ones(2, 3), 9223372036854775807)",
    "einsum(\"...ii->...i\", zeros((0, 4294967296, 4294967296)))",
    "svdvals(zeros((0, 4611686018427387904, 4)))",
    "repeat(zeros((0, 2)), (1000000000000, 1), 1)",
    "repeat(zeros((0, 2, 4611686018427387904, 4)), (1, 2), 1)",
    "repeat([1, 2], (9223372036854775807, 9223372036854775807))",
    "solve_triangular(zeros((0, 100000, 100000)), zeros((0, 100000)))",
    "grad(a -> sum(eigvalsh(a)))(zeros((0, 100000, 100000)))",
    "roll([1, 2, 3], -9223372036854775807)", "tile([1, 2], 9223372036854775807)",
  ]) func extremeSizesAreHandled(_ program: String) {
    let run = Run(program)
    #expect(run.status == 0 || run.diagnostic != nil, "\(program): \(run.diagnostics)")
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
    let cases: [(String, [UInt8], String)] = [
      ("bad.npy", Array("\u{93}NUMPY garbage".utf8), "not a .npy file"),
      (
        "complex.npy", NPY.header(descr: "<c8", shape: "(2,)") + [UInt8](repeating: 0, count: 16),
        "element type '<c8' is not supported; nabla reads float32, float64, integers and bool"
      ),
      (
        "short.npy", NPY.header(descr: "<f4", shape: "(100,)") + [0, 0, 0, 0],
        "data is shorter than the shape [100] needs"
      ),
      (
        "fortran.npy", NPY.header(descr: "<f4", shape: "(1,)", fortran: true) + [0, 0, 0, 0],
        "Fortran-order arrays are not supported; save with C order"
      ),
      ("bad.json", Array("{\"data\": [1, 2".utf8), "malformed JSON: unterminated array"),
      ("ragged.json", Array("[[1, 2], [3]]".utf8), "rows have different lengths"),
      ("ragged.txt", Array("1 2\n3\n".utf8), "line 2 has 1 numbers, earlier lines 2"),
      ("words.txt", Array("one two\n".utf8), "line 1: 'one' is not a number"),
      ("binary.dat", [0, 1, 2, 0, 255], "it is not text, JSON, a .npy or a .npz file"),
    ]
    for (name, bytes, reason) in cases {
      let path = dir + "-" + name
      try writeBytes(bytes, to: path)
      let run = Run("load(\"\(path)\")")
      #expect(run.diagnostic?.message.id == "fileError(_:_:help:)", "\(name): \(run.diagnostics)")
      let quoted = "\"\(path)\""
      let help =
        reason.hasSuffix("is not a number")
        ? "  = help: skip a header line with load(path, skiprows=1); name the separator with "
          + "delimiter=\";\"\n" : ""
      #expect(
        run.diagnostics == """
          <test>:1:6: error: cannot read '\(path)': \(reason)
          1 | load(\(quoted))
            |      \(String(repeating: "^", count: quoted.count))

          """ + help)
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

/// "Did you mean": thirty typos of built-ins, each with the name meant.
@Suite struct SuggestionTests {
  static let typos: [(String, String)] = [
    ("sinn", "sin"), ("expp", "exp"), ("tahn", "tanh"), ("sqr", "sqrt"), ("lgo", "log"),
    ("jacrv", "jacrev"), ("jacfw", "jacfwd"), ("hesian", "hessian"), ("gard", "grad"),
    ("vamp", "vmap"), ("randm", "randn"), ("zero", "zeros"), ("one", "ones"),
    ("linspce", "linspace"), ("reshpe", "reshape"), ("trasnpose", "transpose"),
    ("softmx", "softmax"), ("sigmoidd", "sigmoid"), ("cosh_", "cosh"), ("absl", "abs"),
    ("maxx", "max"), ("summ", "sum"), ("meen", "mean"), ("dett", "det"), ("invv", "inv"),
    ("solv", "solve"), ("outter", "outer"), ("matmull", "matmul"), ("stak", "stack"),
    ("clmap", "clamp"),
  ]

  @Test func typosSuggestTheNameMeant() {
    #expect(Self.typos.count == 30)
    let names = Builtins.names + Constants.names
    for (typo, meant) in Self.typos {
      #expect(names.contains(meant), "\(meant) is not a built-in")
      #expect(Suggestions.nearest(to: typo, in: names) == meant, "\(typo)")
    }
  }
}
