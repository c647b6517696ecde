import Foundation

/// Writes a line to standard error, where messages go; results alone go to standard output.
func printError(_ text: String, terminator: String = "\n") {
    FileHandle.standardError.write(Data((text + terminator).utf8))
}
