/// One administration of a scale as a compiled condition reads it: its day and class, and offsets into the record's
/// flat score and item arrays. Record storage lays its scale results out this way (``EvalFrame``).
package struct ScaleEntry: Sendable {
    package var day: Int32
    package var classIndex: Int32
    package var scoresOffset: Int32
    package var itemsOffset: Int32
    package var itemCount: Int32

    /// An administration stored at these offsets.
    package init(day: Int32, classIndex: Int32, scoresOffset: Int32, itemsOffset: Int32, itemCount: Int32) {
        self.day = day
        self.classIndex = classIndex
        self.scoresOffset = scoresOffset
        self.itemsOffset = itemsOffset
        self.itemCount = itemCount
    }
}
