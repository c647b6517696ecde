import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Memory the process freed but the allocator keeps, given back to the system between the parts of a long run.
///
/// glibc keeps what a thread frees in that thread's own arena, for that thread to use again: once the cohort is read,
/// the chunks the reading threads decoded and scored stay resident though free, and what the end of the run allocates
/// on the main thread comes from new pages beside them.
enum FreedMemory {
    /// Asks the allocator to give back the free memory of every arena (`malloc_trim(0)`); nothing where there is no
    /// such call.
    static func giveBack() {
        #if os(Linux)
            _ = mallocTrim?(0)
        #endif
    }

    #if os(Linux)
        /// glibc's `malloc_trim(3)`, looked up by name once (declared in `malloc.h`, which Swift's Glibc module does
        /// not import).
        private static let mallocTrim = systemFunction(
            named: "malloc_trim", as: (@convention(c) (UInt) -> Int32).self)
    #endif
}
