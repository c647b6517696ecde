/// A college and class, as summaries group students (`—` for a record without
/// one); ordered by college, then class, by Unicode scalars (no locale).
public struct CollegeClass: Sendable, Hashable, Comparable {
    /// The college.
    public let college: String
    /// The class.
    public let className: String

    /// A college and class.
    public init(college: String, className: String) {
        self.college = college
        self.className = className
    }

    /// By college, then class, by Unicode scalars.
    public static func < (a: CollegeClass, b: CollegeClass) -> Bool {
        if a.college != b.college {
            return a.college.unicodeScalars.lexicographicallyPrecedes(b.college.unicodeScalars)
        }
        return a.className.unicodeScalars.lexicographicallyPrecedes(b.className.unicodeScalars)
    }
}
