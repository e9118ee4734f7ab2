/// What an `If-Match` header allows: the versions it names (`"3", "4"`).
/// A `*` is no precondition at all and is not represented.
public struct VersionPrecondition: Sendable, Equatable {
    public var versions: Set<UInt32>

    public init(versions: Set<UInt32>) { self.versions = versions }

    public init(_ version: UInt32) { versions = [version] }

    public func accepts(_ version: UInt32) -> Bool { versions.contains(version) }
}

extension VersionPrecondition: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: UInt32) { self.init(value) }
}
