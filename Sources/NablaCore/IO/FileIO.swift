/// `load` and `save`, choosing the format by the file's extension (or, for standard input
/// and unknown extensions, by its content).
enum FileIO {
  /// Reads `.npy`, `.npz` (a sparse matrix when SciPy's `save_npz` wrote it, else a tuple of
  /// its arrays, in the archive's order), `.mtx` (Matrix Market), `.json`, `.txt`/`.csv`, or
  /// sniffs the content of `-` and other names.
  static func load(
    _ path: String, defaultDType: DType, memoryLimit: Int, range: SourceRange,
    skipRows: Int = 0, delimiter: String? = nil
  ) throws(Diagnostic) -> Value {
    let bytes: [UInt8]
    do {
      bytes = try readBytes(path, limit: memoryLimit)
    } catch {
      throw Diagnostic(.fileError(path == "-" ? "<stdin>" : path, error.reason), at: range)
    }
    let name = path == "-" ? "<stdin>" : path
    let lower = path.lowercased()
    do {
      if NPY.isNPY(bytes) || lower.hasSuffix(".npy") {
        return .tensor(try NPY.read(bytes, defaultDType: defaultDType))
      }
      if NPZ.isNPZ(bytes) || lower.hasSuffix(".npz") {
        let members = try NPZ.members(bytes)
        if SciPySparseNPZ.isSparse(members) {
          return .sparse(try SciPySparseNPZ.read(members, defaultDType: defaultDType))
        }
        return .tuple(try NPZ.read(bytes, defaultDType: defaultDType).map(Value.tensor))
      }
      if MatrixMarket.isMatrixMarket(bytes) || lower.hasSuffix(".mtx") {
        return try MatrixMarket.read(
          String(decoding: bytes, as: UTF8.self), defaultDType: defaultDType)
      }
      let first = bytes.first(where: { ![9, 10, 13, 32].contains($0) })
      if lower.hasSuffix(".json")
        || (!lower.hasSuffix(".txt") && !lower.hasSuffix(".csv")
          && (first == UInt8(ascii: "{") || first == UInt8(ascii: "[")))
      {
        return try TensorReader.fromJSON(try JSONReader.parse(bytes), defaultDType: defaultDType)
      }
      guard !bytes.contains(0) else {
        throw Diagnostic(.fileError(name, "it is not text, JSON, a .npy or a .npz file"), at: range)
      }
      return .tensor(
        try TensorReader.fromText(
          String(decoding: bytes, as: UTF8.self), dtype: defaultDType, skipRows: skipRows,
          delimiter: delimiter))
    } catch let e as NPY.FormatError {
      throw Diagnostic(.fileError(name, e.reason), at: range)
    } catch let e as FileFormatError {
      throw Diagnostic(.fileError(name, e.reason), at: range)
    } catch let e as JSONReader.SyntaxError {
      throw Diagnostic(.fileError(name, "malformed JSON: \(e.reason)"), at: range)
    } catch let e as TensorReader.FormatError {
      let help =
        e.reason.hasSuffix("is not a number")
        ? "skip a header line with load(path, skiprows=1); name the separator with delimiter=\";\""
        : nil
      throw Diagnostic(.fileError(name, e.reason, help: help), at: range)
    } catch let e as Diagnostic {
      throw e
    } catch {
      throw Diagnostic(.fileError(name, "\(error)"), at: range)
    }
  }

  /// Writes a value: `.npy` (a tuple to the same name with `.npz`, as `numpy.savez`), `.json`,
  /// `.csv` (comma-separated rows), `.svg` (a figure: a plot, heat map or sparsity pattern),
  /// or text (space-separated) for anything else. A sparse matrix goes to `.npz` (SciPy's
  /// `save_npz` layout, COO), `.mtx` (Matrix Market), `.json`, or text (the Matrix Market
  /// body, `row column value` 1-based), and is refused as `.npy` and `.csv`.
  static func save(_ value: Value, to requestedPath: String, range: SourceRange?) throws(Diagnostic)
  {
    if case .sparse(let s) = value {
      try saveSparse(s, to: requestedPath, range: range)
      return
    }
    var path = requestedPath
    if case .tuple = value, path.lowercased().hasSuffix(".npy") {
      path = String(path.dropLast(4)) + ".npz"
    }
    let lower = path.lowercased()
    var bytes: [UInt8]
    if lower.hasSuffix(".npy") || lower.hasSuffix(".npz") {
      var leaves: [Value] = [value]
      if case .tuple(let items) = value { leaves = items }
      for case .tensor(let t) in leaves {
        if let problem = NPY.inexactInteger(t) {
          throw Diagnostic(.fileWriteError(path, problem), at: range)
        }
      }
      switch value {
      case .tensor(let t) where !lower.hasSuffix(".npz"): bytes = NPY.write(t)
      case .tuple(let items):
        var tensors: [Tensor] = []
        for item in items {
          guard case .tensor(let t) = item else {
            throw Diagnostic(.fileWriteError(path, "a .npz file holds only tensors"), at: range)
          }
          tensors.append(t)
        }
        guard NPZ.fits(tensors) else {
          throw Diagnostic(
            .fileWriteError(path, "too large for a .npz file (more than 4 GiB or 65535 arrays)"),
            at: range)
        }
        bytes = NPZ.write(tensors)
      case .tensor(let t):
        guard NPZ.fits([t]) else {
          throw Diagnostic(
            .fileWriteError(path, "too large for a .npz file (more than 4 GiB)"), at: range)
        }
        bytes = NPZ.write([t])
      default:
        throw Diagnostic(
          .fileWriteError(path, "only tensors can be saved as .npy, not \(value.typeDescription)"),
          at: range)
      }
    } else if case .figure = value,
      let format = [".png", ".pdf", ".jpg", ".jpeg", ".eps"].first(where: lower.hasSuffix)
    {
      throw Diagnostic(
        .fileWriteError(
          path,
          "pictures are written as .svg, not \(format) (convert one: rsvg-convert fig.svg -o fig.png)"
        ), at: range)
    } else if lower.hasSuffix(".svg") {
      guard case .figure(let figure) = value, let svg = FigureSVG.render(figure) else {
        throw Diagnostic(
          .fileWriteError(
            path, "only a plot, heatmap or spy can be saved as .svg, not \(value.typeDescription)"),
          at: range)
      }
      bytes = Array(svg.utf8)
    } else if lower.hasSuffix(".json") {
      bytes = Array((ValueFormatter.json(value) + "\n").utf8)
    } else if lower.hasSuffix(".csv") {
      bytes = Array((ValueFormatter.plain(value, separator: ",") + "\n").utf8)
    } else {
      bytes = Array((ValueFormatter.plain(value) + "\n").utf8)
    }
    do {
      try writeBytes(bytes, to: path)
    } catch {
      throw Diagnostic(.fileWriteError(path, error.reason), at: range)
    }
  }

  /// `save` of a sparse matrix, by the extension.
  private static func saveSparse(_ s: SparseMatrix, to path: String, range: SourceRange?)
    throws(Diagnostic)
  {
    let lower = path.lowercased()
    let bytes: [UInt8]
    if lower.hasSuffix(".npz") {
      guard
        NPZ.fits([Tensor(shape: [3 * s.pattern.nonZeros], doubles: [])]) || s.pattern.nonZeros == 0
      else {
        throw Diagnostic(
          .fileWriteError(path, "too large for a .npz file (more than 4 GiB)"), at: range)
      }
      bytes = SciPySparseNPZ.write(s)
    } else if lower.hasSuffix(".mtx") {
      bytes = Array(MatrixMarket.write(s).utf8)
    } else if lower.hasSuffix(".json") {
      bytes = Array((SparseMatrixText.json(s) + "\n").utf8)
    } else if let format = [".npy", ".csv", ".svg"].first(where: lower.hasSuffix) {
      let help =
        format == ".svg"
        ? "draw its pattern: save(\"\(path)\", spy(S))"
        : "save it as .npz (SciPy's sparse layout) or .mtx (Matrix Market), or save todense(S)"
      throw Diagnostic(
        .fileWriteError(path, "a sparse matrix cannot be saved as \(format)", help: help), at: range
      )
    } else {
      bytes = Array((SparseMatrixText.plain(s) + "\n").utf8)
    }
    do {
      try writeBytes(bytes, to: path)
    } catch {
      throw Diagnostic(.fileWriteError(path, error.reason), at: range)
    }
  }
}
