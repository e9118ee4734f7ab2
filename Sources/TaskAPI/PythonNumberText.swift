/// A JSON number as the service we replace wrote it back (in a 422's `input`): Pydantic read
/// it as a Python int or float, and `json.dumps` wrote that, so `12.50` came back as `12.5`,
/// `1e2` as `100.0` and `-0` as `0`.
enum PythonNumberText {
    /// `text` is a JSON number as `JSONParser` took it. One too large for a float (`1e400`) is
    /// given back as it came: the old service's `json.dumps` refused the infinity it read, a 500.
    static func of(jsonNumber text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) else {
            // An int, of any size; JSON allows no leading zeros, so only "-0" reads otherwise.
            return text == "-0" ? "0" : text
        }
        guard let value = Double(text), value.isFinite else { return text }
        return repr(value)
    }

    /// A float as Python's `repr` writes it: the shortest digits that read back as the value,
    /// fixed-point from 1e-4 up to 1e16, else with an exponent of at least two digits. Swift's
    /// `description` has the same digits, but takes an exponent from 2^53 on: only the layout
    /// is redone.
    static func repr(_ value: Double) -> String {
        guard value.isFinite, value != 0 else { return value.description }
        let swift = Array(value.description.utf8)
        let negative = swift.first == UInt8(ascii: "-")
        var mantissa = swift[(negative ? 1 : 0)...]
        var exponent = 0
        if let e = mantissa.firstIndex(of: UInt8(ascii: "e")) {
            exponent = Int(String(decoding: mantissa[(e + 1)...], as: UTF8.self))!
            mantissa = mantissa[..<e]
        }
        let point = mantissa.firstIndex(of: UInt8(ascii: ".")) ?? mantissa.endIndex
        var digits = Array(mantissa[..<point]) + Array(mantissa[point...].dropFirst())
        // Digits before the decimal point, counting from the first digit of `digits`.
        var pointPosition = point - mantissa.startIndex + exponent
        while digits.first == UInt8(ascii: "0") {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        let digitText = String(decoding: digits, as: UTF8.self)
        let sign = negative ? "-" : ""
        let scientificExponent = pointPosition - 1
        guard (-4..<16).contains(scientificExponent) else {
            let fraction = digitText.dropFirst()
            let magnitude = String(abs(scientificExponent))
            return sign + digitText.prefix(1) + (fraction.isEmpty ? "" : "." + fraction) + (scientificExponent < 0 ? "e-" : "e+")
                + (magnitude.count < 2 ? "0" : "") + magnitude
        }
        if pointPosition <= 0 { return sign + "0." + String(repeating: "0", count: -pointPosition) + digitText }
        if pointPosition >= digits.count { return sign + digitText + String(repeating: "0", count: pointPosition - digits.count) + ".0" }
        return sign + digitText.prefix(pointPosition) + "." + digitText.dropFirst(pointPosition)
    }
}
