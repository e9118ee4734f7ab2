/// Percent-decoding as Python's `urllib.parse.unquote` does it, which is how the service taskd
/// replaces read paths (uvicorn) and query strings (Starlette's `parse_qsl`): an escape that is
/// not `%` and two hex digits stays as it is, and bytes that are not UTF-8 become U+FFFD.
enum PercentDecoding {
    /// `text` decoded; with `plusAsSpace`, as in a query string, `+` is a space (`%2B` is a `+`).
    static func decode(_ text: Substring, plusAsSpace: Bool = false) -> String {
        let utf8 = text.utf8
        // Most paths and parameters have nothing to decode: no copy for them.
        guard utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusAsSpace && $0 == UInt8(ascii: "+")) }) else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            index = utf8.index(after: index)
            if byte == UInt8(ascii: "%"), index != utf8.endIndex, let high = utf8[index].hexDigitValue {
                let next = utf8.index(after: index)
                if next != utf8.endIndex, let low = utf8[next].hexDigitValue {
                    bytes.append(high << 4 | low)
                    index = utf8.index(after: next)
                    continue
                }
            }
            bytes.append(plusAsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
