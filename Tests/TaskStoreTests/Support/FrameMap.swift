@testable import TaskStore
import TaskStoreTestSupport

/// Where each frame of a segment file (or of a snapshot, after its file header) starts and
/// ends, and which LSNs (blocks) it holds.
struct FrameMap {
    struct Frame {
        var offset: Int
        var end: Int
        var firstLSN: LSN
        var recordCount: Int
        var header: FrameHeader

        var lastLSN: LSN { firstLSN + LSN(recordCount) - 1 }
    }

    var frames: [Frame] = []

    init(file path: String, headerSize: Int = 0) throws {
        let bytes = try POSIXFileSystem().readFile(path)
        bytes.withUnsafeBytes { buffer in
            var offset = headerSize
            while case .frame(let header, let payload) = FrameScanner.step(in: buffer, at: offset) {
                frames.append(Frame(offset: offset, end: payload.upperBound, firstLSN: header.firstLSN, recordCount: Int(header.recordCount), header: header))
                offset = payload.upperBound
            }
        }
    }
}
