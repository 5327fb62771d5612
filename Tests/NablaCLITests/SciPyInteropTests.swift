import Foundation
import Testing

/// Sparse matrices nabla writes read back in SciPy (`scipy.sparse.load_npz`, `scipy.io.mmread`)
/// as the dense Jacobian, and SciPy's files (`save_npz` of COO, CSR and CSC, `mmwrite`) load in
/// nabla (when python3 with SciPy is on this machine; CI's machine has it).
@Suite struct SciPyInteropTests {
  static let hasSciPy = Python.canImport("scipy.sparse, scipy.io")

  static let banded = "f(x) = sin(x[0:4]) .* x[1:5]^2 + cos(x[2:6]); x = linspace(1, 2, 6)"

  /// The sparse Jacobian saved as `.npz` and `.mtx`, in float32 and float64, equals the dense
  /// Jacobian nabla saves as `.npy`: exactly (the `.mtx` values read as float64 and rounded
  /// to the dtype).
  @Test(.enabled(if: hasSciPy), arguments: ["f32", "f64"])
  func scipyReadsWhatNablaWrites(_ dtype: String) throws {
    let dir = try Nabla.temporaryDirectory()
    let (npz, mtx, dense) = (
      dir.appendingPathComponent("j.npz").path, dir.appendingPathComponent("j.mtx").path,
      dir.appendingPathComponent("j.npy").path
    )
    let run = try Nabla([
      "--dtype", dtype,
      "\(Self.banded); S = jacobian(f, sparse_output=True)(x); save(\"\(npz)\", S); "
        + "save(\"\(mtx)\", S); save(\"\(dense)\", jacobian(f)(x))",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let out = try Python.run(
      """
      import numpy as np, scipy.sparse as sp, scipy.io as io
      d = np.load('\(dense)'); a = sp.load_npz('\(npz)'); m = io.mmread('\(mtx)')
      print(a.format, a.shape, a.nnz, a.dtype == d.dtype, np.array_equal(a.toarray(), d),
            m.shape, m.nnz, np.array_equal(m.toarray().astype(d.dtype), d))
      """)
    #expect(out == "coo (4, 6) 12 True True (4, 6) 12 True")
  }

  /// SciPy's `save_npz` (uncompressed) of a `coo_matrix`, a `csr_matrix` and a `csc_array`,
  /// and `mmwrite` of a sparse and a dense matrix (which it writes as symmetric), all load as
  /// the matrix; a compressed `save_npz` (its default) is refused with how to save one.
  @Test(.enabled(if: hasSciPy)) func nablaReadsWhatSciPyWrites() throws {
    let dir = try Nabla.temporaryDirectory()
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
    _ = try Python.run(
      """
      import numpy as np, scipy.sparse as sp, scipy.io as io
      d = np.array([[1., 0, 2, 0], [0, 0, 3.5, -1], [2, 3.5, 0, 0], [0, -1, 0, 4]])
      np.save('\(path("d.npy"))', d)
      sp.save_npz('\(path("coo.npz"))', sp.coo_matrix(d), compressed=False)
      sp.save_npz('\(path("csr.npz"))', sp.csr_matrix(d.astype(np.float32)), compressed=False)
      sp.save_npz('\(path("csc.npz"))', sp.csc_array(d), compressed=False)
      sp.save_npz('\(path("z.npz"))', sp.csr_matrix(d))
      io.mmwrite('\(path("s.mtx"))', sp.coo_matrix(d))
      io.mmwrite('\(path("g.mtx"))', sp.coo_matrix(d[:, :3]))
      io.mmwrite('\(path("dense.mtx"))', d)
      """)
    let d = "load(\"\(path("d.npy"))\")"
    for (name, slice) in [
      ("coo.npz", ""), ("csr.npz", ""), ("csc.npz", ""), ("s.mtx", ""), ("g.mtx", "[:, :3]"),
    ] {
      let run = try Nabla([
        "--dtype", "f64",
        "S = load(\"\(path(name))\"); S.shape; max(abs(todense(S) - \(d)\(slice)))",
      ])
      #expect(
        run.stdout == "(4, \(slice.isEmpty ? 4 : 3))\ntensor(0.)\n", "\(name): \(run.stderr)")
    }
    let listing = try Nabla(["load(\"\(path("csr.npz"))\")"]).stdout
    #expect(listing.hasPrefix("sparse(shape=(4, 4), nnz=8, dtype=float32)\n  (0, 0)\t1.0\n"))
    let dense = try Nabla(["--dtype", "f64", "max(abs(load(\"\(path("dense.mtx"))\") - \(d)))"])
    #expect(dense.stdout == "tensor(0.)\n", "\(dense.stderr)")
    let z = try Nabla(["load(\"\(path("z.npz"))\")"])
    #expect(z.status == 1)
    #expect(z.stderr.contains("compressed=False"), "\(z.stderr)")
  }
}
