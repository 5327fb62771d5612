/// A user-facing error: what went wrong, where, and how to fix it.
///
/// Diagnostics are values (swift-syntax's model): the message comes from the catalog in
/// `DiagnosticMessages.swift`, the ranges point at what the user typed, and
/// ``DiagnosticRenderer`` turns it into text.
public struct Diagnostic: Error, Sendable {
  /// Which exit status the error maps to: 2 for syntax and usage errors, 1 for the rest.
  public enum Category: Sendable {
    /// A syntax or usage error: exit status 2.
    case syntax
    /// An evaluation error or a failed assert: exit status 1.
    case evaluation
    /// A bug in nabla, reported instead of crashing: exit status 1.
    case `internal`

    public var exitCode: Int32 {
      switch self {
      case .syntax: 2
      case .evaluation, .internal: 1
      }
    }
  }

  /// A secondary span with an optional short label (an operand's type, say).
  public struct Label: Sendable {
    public var range: SourceRange
    public var text: String?
  }

  /// A place elsewhere that explains how the error was reached (the call of the function
  /// whose body failed), shown after the error with its own source line.
  public struct Note: Sendable {
    public var range: SourceRange
    public var text: String
  }

  public var message: DiagnosticMessage
  /// The primary span, underlined with `^`; `nil` for errors with no source (a bad option).
  public var range: SourceRange?
  /// Secondary spans, underlined with `~`.
  public var labels: [Label] = []
  /// Notes at other places, innermost first.
  public var notes: [Note] = []

  public init(_ message: DiagnosticMessage, at range: SourceRange?, labels: [Label] = []) {
    self.message = message
    self.range = range
    self.labels = labels
  }

  public var category: Category { message.category }

  /// The same diagnostic, placed at `range` unless it already has a place.
  public func located(at range: SourceRange?) -> Diagnostic {
    guard self.range == nil, let range else { return self }
    var copy = self
    copy.range = range
    return copy
  }

  /// Adds a note at another place.
  public func noted(_ range: SourceRange, _ text: String) -> Diagnostic {
    var copy = self
    copy.notes.append(Note(range: range, text: text))
    return copy
  }

  /// Adds a secondary span.
  public func labeled(_ range: SourceRange?, _ text: String? = nil) -> Diagnostic {
    guard let range else { return self }
    var copy = self
    copy.labels.append(Label(range: range, text: text))
    return copy
  }
}

/// One entry of the diagnostic catalog: a stable ID, the message and an optional fix.
public struct DiagnosticMessage: Sendable, Equatable {
  /// The catalog entry's name, stable across message rewording; tests assert on it.
  public var id: String
  /// Lower case, no trailing period, code in quotes.
  public var text: String
  /// The fix, rendered as `= help: …`.
  public var help: String?
  public var category: Diagnostic.Category

  public init(
    id: String, _ text: String, help: String? = nil, category: Diagnostic.Category = .evaluation
  ) {
    self.id = id
    self.text = text
    self.help = help
    self.category = category
  }
}
