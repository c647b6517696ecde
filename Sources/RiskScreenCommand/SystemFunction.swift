import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A function of the system's C library found by name when the process runs (`dlsym` on the default handle, a
/// null handle in glibc), as type `Function` (a `@convention(c)` function type): for the calls its headers declare
/// only under `_GNU_SOURCE` or in a header Swift's Glibc module does not import. Nil where there is no such call.
func systemFunction<Function>(named name: String, as type: Function.Type) -> Function? {
    guard let symbol = dlsym(nil, name) else { return nil }
    return unsafeBitCast(symbol, to: type)
}
