/// RFC 3339 timestamps: any offset in, UTC with milliseconds out (`2026-11-26T16:05:22.123Z`).
/// By hand: a formatter would cost more than the rest of a task's JSON. The API's JSON and
/// `taskd wal dump` both write them.
public enum RFC3339 {
    public enum ParseError: Error, Equatable {
        /// Not a date-time at all; the reason is Pydantic's wording.
        case invalid(String)
        /// A valid date-time without an offset.
        case missingOffset
        /// Well formed, but not a date Python's `datetime` holds (years 1 to 9999, in UTC too);
        /// the reason is Pydantic's wording, or nil when the offset takes it out of range.
        case outOfRange(String?)
    }

    /// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z: the instants the service we replace
    /// (Python's `datetime`) could store, and that `format` writes in four-digit years.
    public static let earliest = Timestamp(milliseconds: -62_135_596_800_000)
    public static let latest = Timestamp(milliseconds: 253_402_300_799_999)

    /// The bytes `write` writes.
    public static let length = 24

    public static func format(_ timestamp: Timestamp) -> String {
        String(unsafeUninitializedCapacity: length) { text in
            write(timestamp, to: text.baseAddress!)
            return length
        }
    }

    /// Writes the 24 bytes of `2026-11-26T16:05:22.123Z` at `text`: no intermediate strings,
    /// no checks per byte (a task's JSON has three of these).
    public static func write(_ timestamp: Timestamp, to text: UnsafeMutablePointer<UInt8>) {
        let milliseconds = timestamp.milliseconds
        let days = floorDivide(milliseconds, 86_400_000)
        let millisecondOfDay = milliseconds - days * 86_400_000
        let (year, month, day) = civil(fromDays: days)
        var position = 0
        func digits(_ value: Int64, _ width: Int) {
            var value = max(0, value)
            for offset in stride(from: width - 1, through: 0, by: -1) {
                text[position + offset] = UInt8(truncatingIfNeeded: value % 10) + UInt8(ascii: "0")
                value /= 10
            }
            position += width
        }
        func character(_ byte: UInt8) {
            text[position] = byte
            position += 1
        }
        digits(year, 4)
        character(UInt8(ascii: "-"))
        digits(month, 2)
        character(UInt8(ascii: "-"))
        digits(day, 2)
        character(UInt8(ascii: "T"))
        digits(millisecondOfDay / 3_600_000, 2)
        character(UInt8(ascii: ":"))
        digits(millisecondOfDay / 60_000 % 60, 2)
        character(UInt8(ascii: ":"))
        digits(millisecondOfDay / 1000 % 60, 2)
        character(UInt8(ascii: "."))
        digits(millisecondOfDay % 1000, 3)
        character(UInt8(ascii: "Z"))
        precondition(position == length, "an RFC 3339 timestamp is \(length) bytes")
    }

    /// Reads a date-time as Pydantic's `AwareDatetime` reads one (its errors in the same words),
    /// within RFC 3339: `T`, `t` or a space between date and time, seconds required, a fraction
    /// of any length (milliseconds kept), `Z` or an offset. A date alone is a naive midnight.
    public static func parse(_ text: String) throws(ParseError) -> Timestamp {
        let bytes = Array(text.utf8)
        // Pydantic reports the date's own problem; once the date reads well, whatever else is
        // wrong is "extra characters" (it falls back to reading a date, which stops there).
        guard bytes.count >= 10 else { throw .invalid("input is too short") }
        var index = 0
        func number(_ digits: Int, _ field: String) throws(ParseError) -> Int64 {
            guard index + digits <= bytes.count else { throw .invalid("input is too short") }
            var value: Int64 = 0
            for byte in bytes[index..<index + digits] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { throw .invalid("invalid character in \(field)") }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            index += digits
            return value
        }
        func expect(_ characters: String, _ problem: String) throws(ParseError) {
            guard index < bytes.count else { throw .invalid("input is too short") }
            guard characters.utf8.contains(bytes[index]) else { throw .invalid(problem) }
            index += 1
        }
        let year = try number(4, "year")
        try expect("-", "invalid date separator, expected `-`")
        let month = try number(2, "month")
        try expect("-", "invalid date separator, expected `-`")
        let day = try number(2, "day")
        guard (1...12).contains(month) else { throw .invalid("month value is outside expected range of 1-12") }
        guard day >= 1 && day <= daysIn(month: month, year: year) else { throw .invalid("day value is outside expected range") }
        if index == bytes.count { throw .missingOffset }  // a date alone: midnight, no offset
        let extra = ParseError.invalid("unexpected extra characters at the end of the input")
        do throws(ParseError) {
            try expect("Tt ", "")
            let hour = try number(2, "")
            try expect(":", "")
            let minute = try number(2, "")
            try expect(":", "")
            let second = try number(2, "")
            guard hour < 24, minute < 60, second < 60 else { throw extra }
            var millisecond: Int64 = 0
            if index < bytes.count && (bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",")) {
                index += 1
                var digits = 0
                while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                    if digits < 3 { millisecond = millisecond * 10 + Int64(bytes[index] - UInt8(ascii: "0")) }
                    digits += 1
                    index += 1
                }
                guard digits > 0 else { throw extra }
                for _ in min(digits, 3)..<3 { millisecond *= 10 }
            }
            guard index < bytes.count else { throw .missingOffset }
            var offsetMinutes: Int64 = 0
            switch bytes[index] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                index += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                let sign: Int64 = bytes[index] == UInt8(ascii: "-") ? -1 : 1
                index += 1
                let hours = try number(2, "")
                if index < bytes.count && bytes[index] == UInt8(ascii: ":") { index += 1 }
                let minutes = try number(2, "")
                guard hours < 24, minutes < 60 else { throw extra }
                offsetMinutes = sign * (hours * 60 + minutes)
            default:
                throw extra
            }
            guard index == bytes.count else { throw extra }
            if year == 0 { throw ParseError.outOfRange("year 0 is out of range") }
            let days = daysFromCivil(year: year, month: month, day: day)
            let local = ((days * 24 + hour) * 60 + minute) * 60 + second
            let timestamp = Timestamp(milliseconds: (local - offsetMinutes * 60) * 1000 + millisecond)
            // In range locally but not in UTC, as 9999-12-31T23:00:00-02:00 is.
            guard timestamp.milliseconds >= earliest.milliseconds && timestamp.milliseconds <= latest.milliseconds else { throw ParseError.outOfRange(nil) }
            return timestamp
        } catch .invalid {
            throw extra
        }
    }

    // Howard Hinnant's civil-calendar algorithms.
    private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : (a - b + 1) / b }

}
