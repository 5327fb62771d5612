/// What is wrong with a file's content (reported as "cannot read 'path': reason").
struct FileFormatError: Error {
  var reason: String
}
