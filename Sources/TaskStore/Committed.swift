/// A command's result, to be released only once the WAL has acknowledged `lsn`
/// (`TaskStore.acknowledged(_:)`). For reads, `lsn` is the latest event the read could see.
public struct Committed<Value: Sendable>: Sendable {
    public var value: Value
    public var lsn: LSN

    public init(value: Value, lsn: LSN) {
        self.value = value
        self.lsn = lsn
    }
}
