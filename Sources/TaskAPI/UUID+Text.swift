import Foundation

extension UUID {
    /// Reads an id in the forms Pydantic's `UUID` reads, so clients of the service we replace
    /// keep working: 8-4-4-4-12 hex, 32 hex digits, `{8-4-4-4-12}` and `urn:uuid:8-4-4-4-12`,
    /// hex digits in either case. By hand rather than Foundation's `sscanf` (1% of a
    /// `GET /tasks/{id}`), which also took spaces and stray hyphens.
    init?(text: String) {
        var text = text
        let parsed: uuid_t? = text.withUTF8 { utf8 in
            Self.digitsRange(in: utf8).flatMap { range in Self.bytes(utf8[range], hyphenated: range.count == 36) }
        }
        guard let parsed else { return nil }
        self.init(uuid: parsed)
    }

    private static let urnPrefix = "urn:uuid:"

    /// Where the digits are in text of a length some form has: all of it (32 or 36 bytes), or
    /// inside braces (38) or after `urn:uuid:` (45).
    private static func digitsRange(in utf8: some Collection<UInt8>) -> Range<Int>? {
        switch utf8.count {
        case 32, 36: 0..<utf8.count
        case 38 where utf8.first == UInt8(ascii: "{") && utf8.dropFirst(37).first == UInt8(ascii: "}"): 1..<37
        case 45 where utf8.starts(with: urnPrefix.utf8): 9..<45
        default: nil
        }
    }

    /// The 16 bytes from 32 hex digits, or from the 36 characters with hyphens at 8, 13, 18 and 23.
    private static func bytes(_ text: Slice<UnsafeBufferPointer<UInt8>>, hyphenated: Bool) -> uuid_t? {
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = withUnsafeMutableBytes(of: &bytes) { output in
            var index = 0
            for (position, byte) in text.enumerated() {
                if hyphenated && (position == 8 || position == 13 || position == 18 || position == 23) {
                    guard byte == UInt8(ascii: "-") else { return false }
                    continue
                }
                guard let nibble = byte.hexDigitValue else { return false }
                output[index / 2] |= index % 2 == 0 ? nibble << 4 : nibble
                index += 1
            }
            return true
        }
        return parsed ? bytes : nil
    }

    /// Why `text` is not an id, in the words Pydantic uses (the `uuid` crate's), so that a client
    /// learns which character or group is wrong. Only for text `UUID(text:)` refused.
    ///
    /// Text of a length some form has is judged as that form's digits alone, positions counted
    /// from them (`{…}` of 38 bytes: a bad character at 20 of the text is "at 19"); any other
    /// text, braces or prefix set aside wherever they are, with positions in the whole text.
    /// Both as Pydantic answered, recorded from the service we replace.
    static func problem(parsing text: String) -> String {
        let bytes = Array(text.utf8)
        if bytes.count > 45 { return "invalid length: found \(bytes.count)" }
        if let digits = digitsRange(in: bytes) {
            return problem(inDigits: bytes[digits], offset: 0, simple: false, wholeLength: digits.count)
        }
        var inner = bytes[...]
        var offset = 0
        if bytes.count >= 2 && bytes.first == UInt8(ascii: "{") && bytes.last == UInt8(ascii: "}") {
            inner = bytes[1..<(bytes.count - 1)]
            offset = 1
        } else if bytes.starts(with: urnPrefix.utf8) {
            inner = bytes[urnPrefix.utf8.count...]
            offset = urnPrefix.utf8.count
        }
        return problem(inDigits: inner, offset: offset, simple: offset == 0, wholeLength: bytes.count)
    }

    /// The first character that is neither a hex digit nor a hyphen, else the group count, else
    /// the first group of the wrong length; `offset` is added to positions (in bytes), and the
    /// last group's length is counted from `wholeLength`.
    ///
    /// The crate judges a character by its low byte alone (Rust's `c as u8`), so "Ł" (U+0141)
    /// passes as an "A" and "ĭ" (U+012D) as a hyphen: `Ła88e907-…` has a group 0 of 9 bytes,
    /// not a bad character. Recorded from the service we replace.
    private static func problem(inDigits inner: ArraySlice<UInt8>, offset: Int, simple: Bool, wholeLength: Int) -> String {
        var hyphens: [Int] = []
        var position = offset
        for scalar in String(decoding: inner, as: UTF8.self).unicodeScalars {
            let lowByte = UInt8(truncatingIfNeeded: scalar.value)
            if lowByte == UInt8(ascii: "-") {
                hyphens.append(position - offset)
            } else if lowByte.hexDigitValue == nil {
                return "invalid character: found `\(Character(scalar))` at \(position)"
            }
            position += scalar.utf8.count
        }
        if hyphens.isEmpty && simple { return "invalid length: found \(wholeLength)" }
        if hyphens.count != 4 { return "invalid group count: expected 5, found \(hyphens.count + 1)" }
        let groupStarts = [0, 9, 14, 19, 24]
        let groupLengths = [8, 4, 4, 4, 12]
        for group in 0..<4 where hyphens[group] != groupStarts[group + 1] - 1 {
            return "invalid group length in group \(group): expected \(groupLengths[group]), found \(hyphens[group] - groupStarts[group])"
        }
        // All four hyphens are in place, so the last group is the wrong length. Counted over the
        // whole text, braces or prefix included, as the crate counts it.
        return "invalid group length in group 4: expected 12, found \(wholeLength - groupStarts[4])"
    }
}
