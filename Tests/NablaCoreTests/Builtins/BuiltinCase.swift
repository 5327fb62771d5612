import Testing

@testable import NablaCore

/// A program, the shape of its value, and its elements from an independent computation
/// (closed forms evaluated in Double with the C library, or worked by hand).
struct BuiltinCase: Sendable, CustomTestStringConvertible {
  let program: String
  let shape: [Int]
  let expected: [Double]
  /// Extra relative tolerance for float32 results that amplify rounding (inverses, solves).
  var float32Tolerance = 2e-6

  init(_ program: String, _ shape: [Int], _ expected: [Double], float32Tolerance: Double = 2e-6) {
    self.program = program
    self.shape = shape
    self.expected = expected
    self.float32Tolerance = float32Tolerance
  }

  var testDescription: String { program }
}
