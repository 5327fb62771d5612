import NablaCore

/// libFuzzer entry point: parses and evaluates arbitrary bytes as a nabla program with a small
/// memory limit and no file access. Build with
/// `swift build --sanitize=fuzzer --sanitize=address --product nabla-fuzz` (scripts/fuzz).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  var options = SessionOptions()
  options.memoryLimit = 64 << 20
  options.allowsFiles = false
  options.format = [.pretty, .json, .plain][size % 3]
  let session = Session(options: options)
  session.run(SourceFile(name: "<fuzz>", text: text), keepGoing: true)
  return 0
}
