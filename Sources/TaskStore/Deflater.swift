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
        // Room for as many bytes as the input, not one fewer: zlib answers Z_OK, not
        // Z_STREAM_END, when a result fills the room exactly, and a result one byte shorter
        // than the input is still worth keeping. One that fills it all is not (checked here
        // rather than left to how zlib answers).
        let limit = input.count
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: limit))
        let produced: Int? = output.withUnsafeMutableBytes { out in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(input.count)
            stream.next_out = out.baseAddress!.advanced(by: start).assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(limit)
            return deflate(&stream, Z_FINISH) == Z_STREAM_END && stream.avail_out > 0 ? limit - Int(stream.avail_out) : nil
        }
        output.removeLast(limit - (produced ?? 0))
        return produced
    }
}
