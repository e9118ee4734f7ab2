/// The first bad frame a scan of the WAL met.
public struct WALDamage: Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// The newest segment ends in a partial or unchecked frame and nothing valid follows.
        case tornTail
        /// A bad frame with valid data after it, or in an older segment.
        case corruption
    }

    public var kind: Kind
    public var file: String
    public var offset: Int
    public var reason: String

    public var description: String {
        "\(kind == .tornTail ? "torn tail" : "corruption") in \(file) at byte offset \(offset): \(reason)"
    }
}
