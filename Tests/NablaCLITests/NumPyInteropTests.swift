import Foundation
import Testing

/// `.npy`/`.npz` files nabla writes read back in NumPy and vice versa (when python3 with
/// NumPy is on this machine; CI's machine has it).
@Suite struct NumPyInteropTests {
  static let hasNumPy = Python.canImport("numpy")

  @Test(.enabled(if: hasNumPy)) func numpyReadsWhatNablaWrites() throws {
    let dir = try Nabla.temporaryDirectory()
    let f32 = dir.appendingPathComponent("a.npy").path
    let f64 = dir.appendingPathComponent("b.npy").path
    let npz = dir.appendingPathComponent("c.npz").path
    _ = try Nabla(["-o", f32, "reshape(arange(6), 2, 3) / 4"])
    _ = try Nabla([
      "--dtype", "f64", "save(\"\(f64)\", [1e-300, -0.0, 3]); save(\"\(npz)\", (ones(2), eye(2)))",
    ])
    let out = try Python.run(
      """
      import numpy as np
      a = np.load('\(f32)'); b = np.load('\(f64)'); c = np.load('\(npz)')
      print(a.dtype, a.shape, a.tolist(), b.dtype, b.tolist(), sorted(c.files), c['arr_1'].tolist())
      """)
    #expect(
      out
        == "float32 (2, 3) [[0.0, 0.25, 0.5], [0.75, 1.0, 1.25]] float64 [1e-300, -0.0, 3.0] ['arr_0', 'arr_1'] [[1.0, 0.0], [0.0, 1.0]]"
    )
  }

  @Test(.enabled(if: hasNumPy)) func nablaReadsWhatNumPyWrites() throws {
    let dir = try Nabla.temporaryDirectory()
    let path = dir.appendingPathComponent("n.npy").path
    let big = dir.appendingPathComponent("be.npy").path
    let fortran = dir.appendingPathComponent("f.npy").path
    _ = try Python.run(
      """
      import numpy as np
      np.save('\(path)', np.arange(6, dtype=np.float64).reshape(2, 3))
      np.save('\(big)', np.array([1.5, -2], dtype='>f4'))
      np.save('\(fortran)', np.asfortranarray(np.ones((2, 2), dtype=np.float32)))
      """)
    #expect(
      try Nabla(["load(\"\(path)\")[1]"]).stdout == "tensor([3., 4., 5.], dtype=torch.float64)\n")
    #expect(try Nabla(["load(\"\(big)\")"]).stdout == "tensor([ 1.5000, -2.0000])\n")
    let f = try Nabla(["load(\"\(fortran)\")"])
    #expect(f.status == 1)
    #expect(f.stderr.contains("Fortran-order"))
  }

  /// `.npz` archives load as the tuple of their arrays: NumPy's `savez` (ZIP64 members with
  /// data descriptors, named arrays) and nabla's own; a compressed one is refused with why.
  @Test(.enabled(if: hasNumPy)) func npzArchivesLoadAsTuples() throws {
    let dir = try Nabla.temporaryDirectory()
    let named = dir.appendingPathComponent("named.npz").path
    let compressed = dir.appendingPathComponent("z.npz").path
    let own = dir.appendingPathComponent("own.npz").path
    _ = try Python.run(
      """
      import numpy as np
      np.savez('\(named)', w=np.arange(3, dtype=np.float32), b=np.eye(2))
      np.savez_compressed('\(compressed)', w=np.arange(3.0))
      """)
    #expect(
      try Nabla(["load(\"\(named)\")[0] + 1; load(\"\(named)\")[1][1]"]).stdout
        == "tensor([1., 2., 3.])\ntensor([0., 1.], dtype=torch.float64)\n")
    let z = try Nabla(["load(\"\(compressed)\")"])
    #expect(z.status == 1)
    #expect(z.stderr.contains("numpy.savez_compressed"), "\(z.stderr)")
    #expect(
      try Nabla(["save(\"\(own)\", (ones(2), [5., 6])); load(\"\(own)\")[1]"]).stdout
        == "tensor([5., 6.])\n")
  }

  /// NumPy's int64, other integer types and bool load as int64 and bool tensors, print as
  /// PyTorch prints them, and save back as `<i8` and `|b1` (`.npy`, `.npz`), JSON `int64` and
  /// `bool`, and CSV of whole numbers and 1/0; an integer beyond 2⁵³ is refused, naming the
  /// file and the value.
  @Test(.enabled(if: hasNumPy)) func integerAndBoolArraysRoundTrip() throws {
    let dir = try Nabla.temporaryDirectory()
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
    _ = try Python.run(
      """
      import numpy as np
      np.save('\(path("i.npy"))', np.array([[-3, 0], [2**53, 7]], dtype=np.int64))
      np.save('\(path("u.npy"))', np.array([255, 1], dtype='>u2'))
      np.save('\(path("b.npy"))', np.array([True, False, True]))
      np.save('\(path("big.npy"))', np.array([1, 2**53 + 1], dtype=np.int64))
      """)
    #expect(
      try Nabla(["load(\"\(path("i.npy"))\")"]).stdout
        == "tensor([[              -3,                0],\n        [9007199254740992,                7]])\n"
    )
    #expect(try Nabla(["load(\"\(path("u.npy"))\")"]).stdout == "tensor([255,   1])\n")
    #expect(try Nabla(["load(\"\(path("b.npy"))\")"]).stdout == "tensor([ True, False,  True])\n")
    let saved = try Nabla([
      """
      i = load("\(path("i.npy"))"); b = load("\(path("b.npy"))")
      save("\(path("i2.npy"))", i); save("\(path("b2.npy"))", b)
      save("\(path("ib.npz"))", (i, b, [0.5])); save("\(path("i.json"))", i)
      save("\(path("b.json"))", b); save("\(path("i.csv"))", i); save("\(path("b.csv"))", b)
      """
    ])
    #expect(saved.status == 0, "\(saved.stderr)")
    let out = try Python.run(
      """
      import numpy as np, json
      i = np.load('\(path("i2.npy"))'); b = np.load('\(path("b2.npy"))')
      z = np.load('\(path("ib.npz"))')
      print(i.dtype, i.tolist(), b.dtype, b.tolist(), [z[k].dtype.name for k in z.files])
      print(json.load(open('\(path("i.json"))')), json.load(open('\(path("b.json"))'))['data'])
      print(np.loadtxt('\(path("i.csv"))', delimiter=',', dtype=np.int64).tolist(),
            np.loadtxt('\(path("b.csv"))', delimiter=',').astype(bool).tolist())
      """)
    #expect(
      out == """
        int64 [[-3, 0], [9007199254740992, 7]] bool [True, False, True] ['int64', 'bool', 'float32']
        {'dtype': 'int64', 'shape': [2, 2], 'data': [[-3, 0], [9007199254740992, 7]]} [True, False, True]
        [[-3, 0], [9007199254740992, 7]] [True, False, True]
        """)
    #expect(
      try Nabla(["load(\"\(path("i.json"))\"); load(\"\(path("b.json"))\")"]).stdout
        == "tensor([[              -3,                0],\n        [9007199254740992,                7]])\n"
        + "tensor([ True, False,  True])\n")
    let big = try Nabla(["load(\"\(path("big.npy"))\")"])
    #expect(big.status == 1)
    #expect(
      big.stderr.contains(path("big.npy")) && big.stderr.contains("element 1 is 9007199254740993"),
      "\(big.stderr)")
  }

  /// `-o` writes `.csv` with commas (NumPy's `loadtxt(delimiter=",")`, spreadsheets), and
  /// the value of a program's last assignment when it ends in one.
  @Test func outputFilesTakeCommasAndAssignments() throws {
    let dir = try Nabla.temporaryDirectory()
    let csv = dir.appendingPathComponent("m.csv").path
    let npy = dir.appendingPathComponent("x.npy").path
    _ = try Nabla(["-o", csv, "[[1., 2.5], [3, 4]]"])
    #expect(try String(contentsOfFile: csv, encoding: .utf8) == "1.0,2.5\n3.0,4.0\n")
    let assigned = try Nabla(["-o", npy, "x = [1., 2]"])
    #expect(assigned.status == 0)
    #expect(try Nabla(["load(\"\(npy)\")"]).stdout == "tensor([1., 2.])\n")
  }

  @Test func tupleToNpyPathBecomesNpz() throws {
    let dir = try Nabla.temporaryDirectory()
    let path = dir.appendingPathComponent("t.npy").path
    let run = try Nabla(["-o", path, "(ones(2), zeros(2))"])
    #expect(run.status == 0)
    #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("t.npz").path))
  }
}
