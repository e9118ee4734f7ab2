/// An integer in a query string, read as Pydantic reads one, so that what the service we replace
/// took is taken: whitespace around it, one sign, `_` between two digits (`1_000`), and a
/// fraction of zeros (`5.0`). A number past what `Int` holds is out of bounds, not unreadable.
enum IntegerText: Equatable {
    case value(Int)
    /// Well formed but below `Int.min` (negative) or above `Int.max`.
    case outOfRange(negative: Bool)
    /// More than 4,300 digits, the limit Python (and so Pydantic) puts on reading an integer.
    case tooLong
    case invalid

    static let digitLimit = 4300

    init(parsing text: String) {
        var number = Substring(text.trimmedOfWhitespace)
        if let dot = number.firstIndex(of: "."), case let fraction = number[number.index(after: dot)...],
            !fraction.isEmpty, fraction.allSatisfy({ $0 == "0" })
        {
            number = number[..<dot]
        }
        if let value = Int(number) {
            self = .value(value)
            return
        }
        var negative = false
        if let sign = number.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            number = number.dropFirst()
        }
        let digits = number.filter { $0 != "_" }
        if digits.count > Self.digitLimit {
            self = .tooLong
            return
        }
        let characters = Array(number)
        let underscoresBetweenDigits = characters.indices.allSatisfy { index in
            characters[index] != "_"
                || (index > 0 && index < characters.count - 1 && characters[index - 1].isASCIIDigit && characters[index + 1].isASCIIDigit)
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), underscoresBetweenDigits else {
            self = .invalid
            return
        }
        if let value = Int((negative ? "-" : "") + digits) {
            self = .value(value)
        } else {
            self = .outOfRange(negative: negative)
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
