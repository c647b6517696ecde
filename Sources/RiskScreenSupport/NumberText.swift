/// How a number is written in messages and outputs: whole numbers without a fraction (`3`, not `3.0`), others as
/// Swift writes them (`2.5`), so one number reads the same in every message, table and file.
package enum NumberText {
    /// `value` as text: a whole number below 10^15 without a fraction, anything else as `String(value)`.
    package static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
