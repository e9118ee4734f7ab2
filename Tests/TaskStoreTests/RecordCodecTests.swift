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
