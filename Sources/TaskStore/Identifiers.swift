import Foundation

/// A user's id; also the key of the user's actor.
public typealias UserID = UUID
public typealias TaskID = UUID
public typealias CategoryID = UUID
/// One login's chain of refresh tokens (rotation keeps the family, reuse revokes it).
public typealias RefreshFamilyID = UUID

/// Log sequence number: the position of one event in the write-ahead log, starting at 1.
/// 0 means "nothing yet".
public typealias LSN = UInt64
