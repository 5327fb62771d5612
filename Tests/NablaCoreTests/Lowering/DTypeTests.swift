import Testing

@testable import NablaCore

/// Integer and boolean tensors: PyTorch's kinds, promotion and conversions. Each expected
/// dtype and value is what PyTorch 2.x gives for the same expression (`torch.arange(5) + 1`
/// and so on), except where a comment names JAX.
@Suite struct DTypeTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let program: String
    let dtype: String
    let values: [Double]
    init(_ program: String, _ dtype: String, _ values: [Double]) {
      (self.program, self.dtype, self.values) = (program, dtype, values)
    }
    var testDescription: String { program }
  }

  static let cases: [Case] = [
    .init("arange(5)", "int64", [0, 1, 2, 3, 4]),
    .init("arange(5) + 1", "int64", [1, 2, 3, 4, 5]),
    .init("arange(5) / 2", "float32", [0, 0.5, 1, 1.5, 2]),
    .init("arange(5) * 2.5", "float32", [0, 2.5, 5, 7.5, 10]),
    .init("arange(-3, 4) % 3", "int64", [0, 1, 2, 0, 1, 2, 0]),
    .init("arange(-3, 4) // 2", "int64", [-2, -1, -1, 0, 0, 1, 1]),
    .init("arange(4)^3", "int64", [0, 1, 8, 27]),
    .init("arange(3) > 0", "bool", [0, 1, 1]),
    .init("arange(4) == 2.0", "bool", [0, 0, 1, 0]),
    .init("sum(arange(5) > 2)", "int64", [2]),
    .init("prod(arange(1, 5))", "int64", [24]),
    .init("cumsum(arange(4), dim=0)", "int64", [0, 1, 3, 6]),
    .init("max(arange(4))", "int64", [3]),
    .init("abs(arange(-2, 1))", "int64", [2, 1, 0]),
    .init("arange(3) @ arange(3)", "int64", [5]),
    .init("sin(arange(2))", "float32", [0, 0.8414709568023682]),
    // torch.mean refuses integers; JAX gives the float mean
    .init("mean(arange(4))", "float32", [1.5]),
    .init("int64([2.5, -2.5, 7.9])", "int64", [2, -2, 7]),
    .init("int64([nan, inf, -1e30])", "int64", [-0x1p63, -0x1p63, -0x1p63]),
    .init("bool([0, 1, -2])", "bool", [0, 1, 1]),
    .init("float64(arange(3))", "float64", [0, 1, 2]),
    .init("astype([1.5, 0], \"bool\")", "bool", [1, 0]),
    .init("astype([1.5, 0], bool)", "bool", [1, 0]),
    .init("x = [1.5, -2.5]; x.long()", "int64", [1, -2]),
    .init("x = [1.5, -2.5]; x.astype(\"int64\").float()", "float32", [1, -2]),
    .init("x = arange(2); x.to(float64)", "float64", [0, 1]),
    .init("zeros(2, dtype=int64)", "int64", [0, 0]),
    .init("ones(2, dtype=\"bool\")", "bool", [1, 1]),
    .init("full((2,), 3)", "int64", [3, 3]),
    .init("full((2,), 3.5)", "float32", [3.5, 3.5]),
    .init("zeros_like(arange(3))", "int64", [0, 0, 0]),
    // torch.tensor infers the dtype from how the numbers are written
    .init("tensor([[1, 2], [3, 4]])", "int64", [1, 2, 3, 4]),
    .init("tensor([1., 2])", "float32", [1, 2]),
    .init("tensor([[1, 2], [3, 4.5]])", "float32", [1, 2, 3, 4.5]),
    .init("tensor([True, False])", "bool", [1, 0]),
    .init("tensor([1, True])", "int64", [1, 1]),
    .init("tensor(3)", "int64", [3]),
    .init("tensor([1, 2], dtype=float64)", "float64", [1, 2]),
    // exact beyond float32's 2²⁴
    .init("tensor([16777217, 123456789])", "int64", [16_777_217, 123_456_789]),
    .init("tensor([[16777217], [1]])", "int64", [16_777_217, 1]),
    // running sums of truth values count; cumprod keeps integers
    .init("c = cumsum(bool([1, 0, 1])); c + c", "int64", [2, 2, 4]),
    .init("cumprod(tensor([1, 2, 3]))", "int64", [1, 2, 6]),
    // JAX: mul rounds the product, add and set the value
    .init("x = tensor([1, 2, 3]); x.at[1].mul(2.5)", "int64", [1, 5, 3]),
    .init("x = tensor([1, 2, 3]); x.at[1].add(2.5)", "int64", [1, 4, 3]),
    .init("arange(0.5, 3, dtype=\"int64\")", "int64", [0, 1, 2]),
    .init("arange(0, 1, 0.3, dtype=int64)", "int64", [0, 0, 0, 0]),
    .init("arange(-2.5, 2, 1.5, dtype=int64)", "int64", [-2, -1, 0]),
    .init("x = tensor([2, 3]); (x ^ (x - 3)) .* 4", "int64", [0, 4]),
    .init("tensor([2, 3]) ^ tensor([-1, 2])", "int64", [0, 9]),
    .init("tensor([2]) ^ 2.0", "float32", [4]),
    .init("2 ^ tensor([1, 2])", "int64", [2, 4]),
    .init("any(zeros(0))", "bool", [0]),
    .init("all(zeros(2, 0, dtype=bool))", "bool", [1]),
    .init("diag(tensor([1, 2]))", "int64", [1, 0, 0, 2]),
    .init("diag(bool([1, 0]))", "bool", [1, 0, 0, 0]),
    .init("matrix_power(tensor([[1, 1], [0, 1]]), 0)", "int64", [1, 0, 0, 1]),
    .init("relu(tensor([-1, 2]))", "int64", [0, 2]),
    .init("nan_to_num(tensor([1, 2]))", "int64", [1, 2]),
    .init("tril(bool(ones(2, 2)))", "bool", [1, 0, 1, 1]),
    .init("full_like(tensor([1, 2]), 7.5)", "int64", [7, 7]),
    .init("full_like(bool([1, 0]), 0)", "bool", [0, 0]),
    .init("x = [1., 5, 3]; x[argmax(x)]", "float32", [5]),
    // a zero divisor found only when running gives x86's integer indefinite, not inf
    .init("vmap(y -> tensor(5) // y)(tensor([0, 2]))", "int64", [-0x1p63, 2]),
    // a 0-d tensor does not promote a tensor with axes within its category
    .init("float32(arange(3)) + float64(1)", "float32", [1, 2, 3]),
    .init("arange(3) + float64(1)", "float64", [1, 2, 3]),
    .init("concat((arange(2), [0.5]))", "float32", [0, 1, 0.5]),
    .init("maximum(arange(3), 1.5)", "float32", [1.5, 1.5, 2]),
    // truth values: + is or, * is and, with a number they count
    .init("[True, False] + [True, True]", "bool", [1, 1]),
    .init("[True, False] .* [True, True]", "bool", [1, 0]),
    .init("[True, False] .* 3", "int64", [3, 0]),
    .init("where(arange(3) > 0, 1, 0)", "int64", [0, 1, 1]),
    .init("arange(3)[[True, False, True]]", "int64", [0, 2]),
    .init("vmap(x -> x * 2)(arange(3))", "int64", [0, 2, 4]),
    // transforms differentiate floats of the default dtype
    .init("grad(x -> x^3)(2)", "float32", [12]),
    .init("grad(x -> sum(x^2))(arange(3))", "float32", [0, 2, 4]),
    // the derivative through a conversion to an integer is zero (JAX)
    .init("grad(x -> sum(int64(x) * x))([1.5, 2.5])", "float32", [1, 2]),
  ]

  @Test(arguments: cases) func kindAndValuesAreTorchs(_ c: Case) throws {
    let run = Run(c.program)
    let t = try run.tensor()
    #expect(t.kind.dtypeName(t.dtype) == c.dtype)
    #expect(t.doubles == c.values.map { c.dtype == "float32" ? Double(Float($0)) : $0 })
  }

  @Test func dtypeAttributeNamesTheKind() {
    #expect(Run("arange(3).dtype").values == "int64\n")
    #expect(Run("(arange(3) > 1).dtype").values == "bool\n")
  }

  @Test(arguments: [
    ("arange(3) // 0", "integer division by zero"),
    ("arange(3) % int64([1, 0, 2])", "integer division by zero"),
    ("arange(3)^-1", "integers to negative integer powers are not allowed"),
    ("[True] - [False]", "subtracting truth values is not supported"),
    ("-(arange(2) > 0)", "negating truth values is not supported"),
    ("zeros(2, dtype=\"int32\")", "unknown dtype 'int32'"),
    ("randn(2, dtype=int64)", "needs a float dtype, not int64"),
    ("[1.5].long(2)", "takes no arguments"),
    ("neg(bool([1, 1]))", "negating truth values is not supported"),
    ("arange(5, dtype=bool)", "cannot make bool values"),
  ])
  func refusalsSayWhy(_ program: String, _ message: String) {
    let run = Run(program)
    #expect(run.status != 0)
    #expect(run.diagnostics.contains(message), "\(run.diagnostics)")
  }
}
