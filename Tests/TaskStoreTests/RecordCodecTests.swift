import Testing
import TaskStoreTestSupport
@testable import TaskStore

@Suite struct RecordCodecTests {
    @Test(arguments: SampleEvents.all)
    func everyEventSurvivesEncodingAndDecoding(event: WALEvent) throws {
        var writer = BinaryWriter()
        RecordCodec.encode(event, into: &writer)
        let decoded = try writer.bytes.withUnsafeBytes { buffer in
            var reader = BinaryReader(buffer)
            let event = try RecordCodec.decode(from: &reader)
            #expect(reader.isAtEnd)
            return event
        }
        #expect(decoded == event)
    }

    @Test func framesOfEveryEventReadBackInOrder() throws {
        let encoder = FrameEncoder()
        for event in SampleEvents.all { encoder.addRecord { RecordCodec.encode(event, into: &$0) } }
        let frame = encoder.finishFrame(firstLSN: 100)
        var decoded: [WALEvent] = []
        try frame.withUnsafeBytes { buffer in
            guard case .frame(let header, let payloadRange) = FrameScanner.step(in: buffer, at: 0) else {
                Issue.record("the frame does not scan")
                return
            }
            #expect(header.firstLSN == 100 && Int(header.recordCount) == SampleEvents.all.count)
            var payload: [UInt8] = []
            #expect(FrameScanner.payload(of: header, UnsafeRawBufferPointer(rebasing: buffer[payloadRange]), inflater: Inflater(), into: &payload))
            try payload.withUnsafeBytes { records in
                try FrameScanner.forEachRecord(in: records, count: header.recordCount) { reader throws(DecodeError) in
                    decoded.append(try RecordCodec.decode(from: &reader))
                }
            }
        }
        #expect(decoded == SampleEvents.all)
    }

    @Test func truncatedRecordsFailWithAnOffsetInsteadOfTrapping() {
        var writer = BinaryWriter()
        RecordCodec.encode(SampleEvents.all[5], into: &writer)
        for cut in 0..<writer.bytes.count {
            let prefix = Array(writer.bytes[..<cut])
            prefix.withUnsafeBytes { buffer in
                var reader = BinaryReader(buffer)
                #expect(throws: DecodeError.self) { try RecordCodec.decode(from: &reader) }
            }
        }
    }

    @Test func varintsAndSignedNumbersRoundTripAtTheirLimits() throws {
        let values: [Int64] = [0, 1, -1, 63, -64, 64, .max, .min, 1_795_000_000_000]
        var writer = BinaryWriter()
        for value in values { writer.write(signed: value) }
        writer.write(varint: .max)
        let decoded = try writer.bytes.withUnsafeBytes { buffer throws in
            var reader = BinaryReader(buffer)
            var decoded: [Int64] = []
            for _ in values { decoded.append(try reader.readSigned()) }
            #expect(try reader.readVarint() == UInt64.max)
            return decoded
        }
        #expect(decoded == values)
    }

    /// A tenth byte holds bit 63 only: more would be dropped without a word, and a damaged
    /// length or timestamp read as another number. An eleventh byte is refused the same way.
    @Test func aVarintPast64BitsIsRefusedAtItsLastByte() {
        let nine = [UInt8](repeating: 0xFF, count: 9)
        let cases: [([UInt8], Result<UInt64, DecodeError>)] = [
            (nine + [0x01], .success(.max)),
            (nine + [0x02], .failure(DecodeError(offset: 10, reason: "varint overflows 64 bits"))),
            (nine + [0x7F], .failure(DecodeError(offset: 10, reason: "varint overflows 64 bits"))),
            (nine + [0x81, 0x00], .failure(DecodeError(offset: 10, reason: "varint overflows 64 bits"))),
        ]
        for (bytes, expected) in cases {
            let read = bytes.withUnsafeBytes { buffer in
                var reader = BinaryReader(buffer)
                return Result { () throws(DecodeError) in try reader.readVarint() }
            }
            #expect(read == expected, "\(bytes)")
        }
    }

    /// A flag is 0 or 1, a checksum or count fits 32 bits, a case is one the type has: any other
    /// byte is damage, named where it is, never read as the nearest value.
    @Test func narrowReadsRefuseWhatDoesNotFit() {
        func read<Value>(_ bytes: [UInt8], _ body: (inout BinaryReader) throws(DecodeError) -> Value) -> Result<Value, DecodeError> {
            bytes.withUnsafeBytes { buffer in
                var reader = BinaryReader(buffer)
                return Result { () throws(DecodeError) in try body(&reader) }
            }
        }
        #expect(read([1]) { r throws(DecodeError) in try r.readBool() } == .success(true))
        #expect(read([2]) { r throws(DecodeError) in try r.readBool() } == .failure(DecodeError(offset: 0, reason: "invalid flag byte 2")))
        var writer = BinaryWriter()
        writer.write(varint: UInt64(UInt32.max))
        writer.write(varint: UInt64(UInt32.max) + 1)
        let both = read(writer.bytes) { r throws(DecodeError) in [try r.readUInt32(), try r.readUInt32()] }
        #expect(both == .failure(DecodeError(offset: 10, reason: "value 4294967296 exceeds 32 bits")))
        #expect(read([UInt8(TaskStatus.allCases.count)]) { r throws(DecodeError) in try r.readCase(TaskStatus.self) }
            == .failure(DecodeError(offset: 0, reason: "unknown TaskStatus 3")))
        // Raw bytes and lengths: all that is left is read, one more is refused, not read past the end.
        #expect(read([7, 8, 9]) { r throws(DecodeError) in _ = try r.readByte(); return Array(try r.readBytes(2)) } == .success([UInt8(8), 9]))
        #expect(read([7, 8, 9]) { r throws(DecodeError) in _ = try r.readByte(); return Array(try r.readBytes(3)) }
            == .failure(DecodeError(offset: 1, reason: "3 bytes wanted, 2 left")))
        #expect(read([3, 0x61, 0x62]) { r throws(DecodeError) in try r.readString() } == .failure(DecodeError(offset: 1, reason: "length 3 exceeds the 2 bytes left")))
    }

    /// A snapshot's task record belongs to the user header before it; one with no header before
    /// it is refused at its offset, not dropped (a writer's bug would otherwise lose a task).
    @Test func aSnapshotTaskBeforeAnyUserHeaderIsRefused() {
        var writer = BinaryWriter()
        writer.write(UInt8(17))  // a task record
        writer.write(SampleEvents.task)
        let result = writer.bytes.withUnsafeBytes { buffer in
            var reader = BinaryReader(buffer)
            var decoder = SnapshotCodec.Decoder()
            return Result { () throws(DecodeError) in try decoder.decode(&reader) }.map { true }
        }
        #expect(result == .failure(DecodeError(offset: writer.bytes.count, reason: "a user's record before any user header")))
    }

    @Test func aNewerRecordVersionIsRefused() {
        var records = BinaryWriter()
        records.write(varint: 2)
        records.write(UInt8(2))  // record version 2
        records.write(UInt8(1))
        _ = records.bytes.withUnsafeBytes { buffer in
            #expect(throws: DecodeError.self) {
                try FrameScanner.forEachRecord(in: buffer, count: 1) { _ throws(DecodeError) in }
            }
        }
    }
}
