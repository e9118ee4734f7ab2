import CZlib

/// One raw-deflate stream (level 1), kept and reset per frame: creating a stream per frame
/// costs about 50 µs here. Not thread-safe; one owner at a time.
final class Deflater {
    private var stream = z_stream()

    init(level: Int32 = 1) {
        // windowBits -15: raw deflate, no zlib header or Adler-32; frames carry their own CRC32.
        let status = deflateInit2_(&stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "deflateInit2 failed with \(status)")
    }

    deinit { deflateEnd(&stream) }

    /// Deflates `input` and appends the result to `output`. Returns nil, leaving `output` as it
    /// was, when the result would not be smaller than the input: the caller then stores it raw.
    func compress(_ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) -> Int? {
        guard input.count > 0 else { return nil }
        deflateReset(&stream)
        let limit = input.count - 1
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: limit))
        let produced: Int? = output.withUnsafeMutableBytes { out in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(input.count)
            stream.next_out = out.baseAddress!.advanced(by: start).assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(limit)
            // Z_STREAM_END only when everything fit in fewer bytes than the input.
            return deflate(&stream, Z_FINISH) == Z_STREAM_END ? limit - Int(stream.avail_out) : nil
        }
        output.removeLast(limit - (produced ?? 0))
        return produced
    }
}
