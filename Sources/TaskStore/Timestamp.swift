import Foundation

/// A point in time as whole milliseconds since the Unix epoch: the precision the API emits,
/// and an integer so that events replay to exactly the same state.
public struct Timestamp: Hashable, Comparable, Sendable {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    public init(_ date: Date) {
        self.milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    public static func now() -> Timestamp { Timestamp(Date()) }

    public func adding(seconds: Int64) -> Timestamp {
        Timestamp(milliseconds: milliseconds &+ seconds &* 1000)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.milliseconds < rhs.milliseconds }
}
