/// How a picture is drawn as text: the width it may fill and whether it may use colour.
public struct PictureOptions: Sendable, Equatable {
  /// The terminal's width in characters (80 when standard output is not a terminal).
  public var columns = 80
  /// Whether curves and cells are coloured with ANSI escapes (`--color`, `NO_COLOR`).
  public var color = false

  /// The narrowest width drawn; a narrower terminal wraps the picture.
  static let minimumColumns = 40
  /// The widest width drawn, whatever the terminal.
  static let maximumColumns = 400

  public init(columns: Int = 80, color: Bool = false) {
    self.columns = columns
    self.color = color
  }

  /// ``columns`` within the limits pictures are drawn at.
  var width: Int { min(max(columns, Self.minimumColumns), Self.maximumColumns) }
}
