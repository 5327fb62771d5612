/// `load` and `save`, choosing the format by the file's extension (or, for standard input
/// and unknown extensions, by its content).
enum FileIO {
  /// Reads `.npy`, `.npz` (a tuple of its arrays, in the archive's order), `.json`,
  /// `.txt`/`.csv`, or sniffs the content of `-` and other names.
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
        return .tensor(try NPY.read(bytes))
      }
      if NPZ.isNPZ(bytes) || lower.hasSuffix(".npz") {
        return .tuple(try NPZ.read(bytes).map(Value.tensor))
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
  /// or text (space-separated) for anything else.
  static func save(_ value: Value, to requestedPath: String, range: SourceRange?) throws(Diagnostic)
  {
    var path = requestedPath
    if case .tuple = value, path.lowercased().hasSuffix(".npy") {
      path = String(path.dropLast(4)) + ".npz"
    }
    let lower = path.lowercased()
    var bytes: [UInt8]
    if lower.hasSuffix(".npy") || lower.hasSuffix(".npz") {
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
        throw Diagnostic(.fileWriteError(path, "only tensors can be saved as .npy"), at: range)
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
}
