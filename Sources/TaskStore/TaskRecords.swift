/// A user's task records in order, stored in chunks of at most 512. A snapshot holds a copy
/// of every state it writes while the actor goes on changing it: with one array, the first
/// write after that copied all the records (1.6 ms for a user with 100,000 tasks); with chunks
/// it copies the chunk it writes to and the list of chunks.
///
/// Each chunk after the first carries the LSN of the last event that changed it, its stamp:
/// the next snapshot copies the frame of a chunk whose stamp has not moved instead of encoding
/// it again (see `SnapshotFrameCache`). A change made outside an event (a rollback) stamps
/// `unstamped`, which no snapshot copies.
///
/// The first chunk is held directly, so a user with up to 512 tasks has one array, allocated
/// as it was before chunks, and no list of chunks. It has no stamp: it shares its frame with
/// the user's other fields, which a snapshot copies only with the whole user.
public struct TaskRecords: RandomAccessCollection, Sendable {
    static let chunkShift = 9
    static let chunkCapacity = 1 << chunkShift
    /// The stamp of a change no event names: never the same as a snapshot's.
    static let unstamped = LSN.max

    private struct Chunk: Sendable {
        var records: [TaskRecord]
        var stamp: LSN
    }

    /// Records 0 to 511.
    private var first: [TaskRecord] = []
    /// Records from 512 on, 512 a chunk; every chunk but the last is full.
    private var rest: [Chunk] = []
    public private(set) var count = 0
    /// Records a bulk load said are coming: chunks are allocated for them exactly, where
    /// growing by doubling would leave a small user's array up to half empty.
    private var expectedCount = 0

    init() {}

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    /// Out of range traps in the arrays' own bounds checks: the first chunk holds exactly the
    /// first `min(count, 512)` records and each later chunk exactly its share.
    public subscript(position: Int) -> TaskRecord {
        if position < Self.chunkCapacity { return first[position] }
        return rest[(position >> Self.chunkShift) - 1].records[position & (Self.chunkCapacity - 1)]
    }

    var chunkCount: Int { (count + Self.chunkCapacity - 1) >> Self.chunkShift }

    /// The positions of chunk `index`'s records.
    func positions(ofChunk index: Int) -> Range<Int> {
        (index << Self.chunkShift)..<Swift.min(count, (index + 1) << Self.chunkShift)
    }

    /// The LSN of the last event that changed chunk `index`, from 1 on.
    func stamp(ofChunk index: Int) -> LSN {
        precondition(index > 0, "the first chunk has no stamp")
        return rest[index - 1].stamp
    }

    mutating func replace(at position: Int, with record: TaskRecord, stamp: LSN) {
        if position < Self.chunkCapacity {
            first[position] = record
        } else {
            let chunk = (position >> Self.chunkShift) - 1
            rest[chunk].records[position & (Self.chunkCapacity - 1)] = record
            rest[chunk].stamp = stamp
        }
    }

    mutating func append(_ record: TaskRecord, stamp: LSN) {
        if count < Self.chunkCapacity {
            first.append(record)
        } else {
            if count & (Self.chunkCapacity - 1) == 0 {
                var chunk = Chunk(records: [], stamp: stamp)
                if expectedCount > count { chunk.records.reserveCapacity(Swift.min(Self.chunkCapacity, expectedCount - count)) }
                rest.append(chunk)
            }
            rest[rest.count - 1].records.append(record)
            rest[rest.count - 1].stamp = stamp
        }
        count += 1
    }

    @discardableResult
    mutating func removeLast(stamp: LSN) -> TaskRecord {
        precondition(count > 0, "removeLast from no task records")
        count -= 1
        guard count >= Self.chunkCapacity else { return first.removeLast() }
        let record = rest[rest.count - 1].records.removeLast()
        rest[rest.count - 1].stamp = stamp
        if rest[rest.count - 1].records.isEmpty { rest.removeLast() }
        return record
    }

    /// Room for `capacity` records: the first chunk now (as the one array was before chunks),
    /// the others as the records arrive.
    mutating func reserveCapacity(_ capacity: Int) {
        expectedCount = Swift.max(expectedCount, capacity)
        if count < Self.chunkCapacity { first.reserveCapacity(Swift.min(Self.chunkCapacity, capacity)) }
        if capacity > Self.chunkCapacity { rest.reserveCapacity((capacity - 1) >> Self.chunkShift) }
    }
}
