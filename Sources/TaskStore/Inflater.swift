import CZlib

/// One raw-inflate stream, kept and reset per frame. Not thread-safe; one owner at a time.
final class Inflater {
    private var stream = z_stream()

    init() {
        let status = inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "inflateInit2 failed with \(status)")
    }

    deinit { inflateEnd(&stream) }

    /// Inflates `input` into `output`, which must come to exactly `expectedLength` bytes.
    /// `output` keeps its capacity between frames: no allocation per frame.
    func decompress(_ input: UnsafeRawBufferPointer, expectedLength: Int, into output: inout [UInt8]) -> Bool {
        output.removeAll(keepingCapacity: true)
        guard input.count > 0 else { return expectedLength == 0 }
        inflateReset(&stream)
        // One spare byte: an input that inflates to more than expected is caught, not cut.
        output.append(contentsOf: repeatElement(0, count: expectedLength + 1))
        let ok: Bool = output.withUnsafeMutableBytes { out in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(input.count)
            stream.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(expectedLength + 1)
            let status = inflate(&stream, Z_FINISH)
            return status == Z_STREAM_END && Int(stream.avail_out) == 1 && stream.avail_in == 0
        }
        output.removeLast()
        return ok
    }
}
