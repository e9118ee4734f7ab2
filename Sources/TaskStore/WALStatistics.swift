/// Running totals of the WAL writer, for metrics and benchmarks.
public struct WALStatistics: Sendable, Equatable {
    public var recordsWritten = 0
    public var framesWritten = 0
    /// Bytes written to segments, headers included.
    public var bytesWritten = 0
    /// The same records before compression, without frame headers.
    public var uncompressedRecordBytes = 0
    public var fsyncs = 0
    public var fsyncNanoseconds: UInt64 = 0

    public init() {}
}
