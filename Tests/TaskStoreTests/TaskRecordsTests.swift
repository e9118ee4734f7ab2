import Testing
@testable import TaskStore

/// A chunk's stamp names the last event that changed it, which is what `SnapshotFrameCache`
/// trusts when it copies a chunk's old frame instead of encoding the chunk again.
@Suite struct TaskRecordsTests {
    @Test func everyChangeToAChunkMovesItsStampAndNoOtherChunks() {
        var records = TaskRecords()
        // Chunk 0 holds records 0 to 511, chunk 1 512 to 1023, chunk 2 the last six.
        for index in 0..<1030 { records.append(.titled("t\(index)"), stamp: LSN(index + 1)) }
        #expect(records.chunkCount == 3)
        #expect(records.stamp(ofChunk: 1) == 1024 && records.stamp(ofChunk: 2) == 1030, "each chunk's last append")

        records.replace(at: 600, with: .titled("replaced"), stamp: 2000)
        #expect(records.stamp(ofChunk: 1) == 2000 && records.stamp(ofChunk: 2) == 1030)
        records.removeLast(stamp: 2001)
        #expect(records.stamp(ofChunk: 2) == 2001 && records.stamp(ofChunk: 1) == 2000)
        records.append(.titled("appended"), stamp: 2002)
        #expect(records.stamp(ofChunk: 2) == 2002 && records.stamp(ofChunk: 1) == 2000)
        #expect(records.count == 1030 && records[600].title == "replaced" && records[1029].title == "appended")

        // Emptying the last chunk removes it; the one before is the last again.
        for stamp in 2003..<2009 { records.removeLast(stamp: LSN(stamp)) }
        #expect(records.chunkCount == 2 && records.count == 1024 && records.stamp(ofChunk: 1) == 2000)
        records.removeLast(stamp: 2010)
        #expect(records.stamp(ofChunk: 1) == 2010 && records[1022].title == "t1022")
    }
}
