/// A user's task records in order, stored in chunks of at most 512. A snapshot holds a copy
/// of every state it writes while the actor goes on changing it: with one array, the first
/// write after that copied all the records (5 ms for a user with 100,000 tasks); with chunks it
/// copies the chunk it writes to and the list of chunks.
public struct TaskRecords: RandomAccessCollection, Sendable {
    private static let chunkShift = 9
    private static let chunkCapacity = 1 << chunkShift

    /// Every chunk but the last is full.
    private var chunks: [[TaskRecord]] = []
    public private(set) var count = 0

    init() {}

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> TaskRecord {
        get {
            precondition(position >= 0 && position < count, "task record index out of range")
            return chunks[position >> Self.chunkShift][position & (Self.chunkCapacity - 1)]
        }
        set {
            precondition(position >= 0 && position < count, "task record index out of range")
            chunks[position >> Self.chunkShift][position & (Self.chunkCapacity - 1)] = newValue
        }
    }

    mutating func append(_ record: TaskRecord) {
        if count & (Self.chunkCapacity - 1) == 0 { chunks.append([]) }
        chunks[chunks.count - 1].append(record)
        count += 1
    }

    @discardableResult
    mutating func removeLast() -> TaskRecord {
        precondition(count > 0, "removeLast from no task records")
        let record = chunks[chunks.count - 1].removeLast()
        if chunks[chunks.count - 1].isEmpty { chunks.removeLast() }
        count -= 1
        return record
    }

    /// Room for `capacity` records without reallocating the list of chunks; each chunk still
    /// grows as records arrive, so a user with a few tasks keeps a small allocation.
    mutating func reserveCapacity(_ capacity: Int) {
        chunks.reserveCapacity((capacity + Self.chunkCapacity - 1) >> Self.chunkShift)
    }
}
