import Foundation
import RiskScreen

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a path names on disk, so that two spellings of one file (a link, `./`, `..`, a hard link) compare equal.
///
/// An existing file is its device and inode; a file that does not exist yet is the real path of its folder followed
/// by its name.
enum FileIdentity: Hashable {
    case existing(device: UInt64, inode: UInt64)
    case new(String)

    /// The identity of `path`, following symbolic links.
    init(_ path: String) {
        var info = stat()
        if stat(path, &info) == 0 {
            self = .existing(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
            return
        }
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let resolved = realpath(folder.isEmpty ? "." : folder, nil).map { pointer in
            defer { free(pointer) }
            return String(cString: pointer)
        }
        self = .new((resolved ?? folder) + "/" + name)
    }

    /// The files a record input reads: the file itself, or a students table with its companions, or those of a
    /// directory of tables.
    static func filesRead(byInput path: String) -> [String] {
        var isDirectory: ObjCBool = false
        let students: String
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            students = path + "/students.csv"
        } else if path.lowercased().hasSuffix("students.csv") {
            students = path
        } else {
            return [path]
        }
        let companions = CSVReader.companions(ofStudents: students)
        return [path, students] + [companions.events, companions.scales].compactMap { $0 }
    }

    /// Refuses (printing why, exit 1) any output that is one of `inputs` or another of `outputs`, before anything is
    /// read or written. `outputs` pairs each output with the option that names it.
    static func refuseOverlaps(outputs: [(option: String, path: String)], inputs: [String]) throws {
        var inputIdentities: [FileIdentity: String] = [:]
        for input in inputs { inputIdentities[FileIdentity(input)] = inputIdentities[FileIdentity(input)] ?? input }
        var seen: [FileIdentity: (option: String, path: String)] = [:]
        for output in outputs {
            let identity = FileIdentity(output.path)
            if let input = inputIdentities[identity] {
                printError(
                    "\(output.path): error: \(output.option) names the input \(input), which it would replace; "
                        + "expected a file that is not read by this run")
                throw Exit.failure
            }
            // Devices and pipes (`/dev/stdout`, `/dev/null`) are written straight through, not replaced: two outputs may
            // share one.
            var info = stat()
            if stat(output.path, &info) == 0, info.st_mode & S_IFMT != S_IFREG { continue }
            if let other = seen[identity] {
                printError(
                    "\(output.path): error: \(output.option) names the same file as \(other.option) \(other.path); "
                        + "expected a different file for each")
                throw Exit.failure
            }
            seen[identity] = output
        }
    }
}
