package import RiskScreenSupport

/// YAML that could not be read: a syntax error from libyaml, or input RiskScreen refuses.
package struct YAMLError: Error, Sendable, CustomStringConvertible {
    /// Where the problem is.
    package var location: SourceLocation
    /// What was found and what was expected.
    package var message: String

    /// Creates an error.
    package init(at location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    /// `file:line:column: error: message`.
    package var description: String { "\(location): error: \(message)" }
}
