import Foundation
import TaskStore

/// Reads the fields of a JSON object (or query parameters) and collects every problem, in
/// Pydantic's words, instead of stopping at the first. `finish()` throws them all as a 422.
struct FieldReader {
    let object: JSONValue
    /// "body" or "query".
    let section: String
    var issues: [ValidationIssue] = []

    /// `earlier`: problems already found in another part of the request (the path), which
    /// FastAPI lists first.
    init(_ object: JSONValue, section: String = "body", after earlier: [ValidationIssue] = []) {
        self.object = object
        self.section = section
        issues = earlier
    }

    /// The field as sent: nil when absent (as opposed to `null`).
    func value(_ name: String) -> JSONValue? { object[name] }

    func finish() throws {
        if !issues.isEmpty { throw APIError(validation: issues) }
    }

    mutating func report(_ type: String, _ name: String, _ message: String, input: JSONValue?, ctx: [(String, JSONValue)] = [], index: Int? = nil) {
        var loc: [ValidationIssue.Location] = [.key(section), .key(name)]
        if let index { loc.append(.index(index)) }
        issues.append(ValidationIssue(type: type, loc: loc, msg: message, input: input, ctx: ctx))
    }

    mutating func missing(_ name: String) {
        report("missing", name, "Field required", input: object)
    }

    /// A required string field; see `text(_:_:...)`.
    mutating func requiredText(_ name: String, trim: Bool = false, minLength: Int = 0, maxLength: Int = .max) -> String? {
        guard let value = value(name) else {
            missing(name)
            return nil
        }
        return text(value, name, trim: trim, minLength: minLength, maxLength: maxLength)
    }

    /// A string, trimmed if asked, whose length in characters (code points, as Python counts
    /// them) is within bounds, without NUL characters or lone surrogates.
    mutating func text(_ value: JSONValue, _ name: String, trim: Bool = false, minLength: Int = 0, maxLength: Int = .max, index: Int? = nil) -> String? {
        let raw: String
        switch value {
        case .string(let string): raw = string
        case .unpairedSurrogateString:
            report("string_unicode", name, "Input should be a valid string, unable to parse raw data as a unicode string", input: value, index: index)
            return nil
        default:
            report("string_type", name, "Input should be a valid string", input: value, index: index)
            return nil
        }
        let text = trim ? raw.trimmedOfWhitespace : raw
        let length = text.unicodeScalars.count
        if length < minLength {
            let unit = minLength == 1 ? "character" : "characters"
            report("string_too_short", name, "String should have at least \(minLength) \(unit)", input: value, ctx: [("min_length", .number(String(minLength)))], index: index)
            return nil
        }
        if length > maxLength {
            let unit = maxLength == 1 ? "character" : "characters"
            report("string_too_long", name, "String should have at most \(maxLength) \(unit)", input: value, ctx: [("max_length", .number(String(maxLength)))], index: index)
            return nil
        }
        if text.utf8.contains(0) {
            report("string_nul", name, "String should not contain NUL characters", input: value, index: index)
            return nil
        }
        return text
    }

    /// A nullable string: absent, null, or text.
    mutating func nullableText(_ name: String, trim: Bool = false, minLength: Int = 0, maxLength: Int = .max) -> FieldUpdate<String?> {
        switch value(name) {
        case nil: return .unchanged
        case .null?: return .set(nil)
        case let value?: return text(value, name, trim: trim, minLength: minLength, maxLength: maxLength).map { .set($0) } ?? .unchanged
        }
    }

    /// One of the enum's raw values.
    mutating func enumeration<Value: RawRepresentable & CaseIterable>(_ value: JSONValue, _ name: String, as: Value.Type, index: Int? = nil) -> Value?
    where Value.RawValue == String {
        if case .string(let raw) = value, let match = Value(rawValue: raw) { return match }
        let names = Value.allCases.map { "'\($0.rawValue)'" }
        let expected = names.dropLast().joined(separator: ", ") + " or " + names.last!
        report("enum", name, "Input should be \(expected)", input: value, ctx: [("expected", .string(expected))], index: index)
        return nil
    }

    /// An RFC 3339 date-time with an offset.
    mutating func dateTime(_ value: JSONValue, _ name: String) -> Timestamp? {
        guard case .string(let text) = value else {
            report("datetime_type", name, "Input should be a valid datetime", input: value)
            return nil
        }
        do {
            return try RFC3339.parse(text)
        } catch {
            switch error {
            case .missingOffset:
                report("timezone_aware", name, "Input should have timezone info", input: value)
            case .invalid(let reason):
                report("datetime_from_date_parsing", name, "Input should be a valid datetime or date, \(reason)", input: value, ctx: [("error", .string(reason))])
            case .outOfRange(let reason?):
                report("datetime_parsing", name, "Input should be a valid datetime, \(reason)", input: value, ctx: [("error", .string(reason))])
            case .outOfRange(nil):
                report("datetime_out_of_range", name, "Datetime is out of the supported range", input: value)
            }
            return nil
        }
    }

    /// A nullable date-time: absent, null, or a date-time.
    mutating func nullableDateTime(_ name: String) -> FieldUpdate<Timestamp?> {
        switch value(name) {
        case nil: return .unchanged
        case .null?: return .set(nil)
        case let value?: return dateTime(value, name).map { .set($0) } ?? .unchanged
        }
    }

    /// An integer within bounds, from a query string (see `IntegerText` for what is taken).
    mutating func integer(_ text: String, _ name: String, minimum: Int, maximum: Int) -> Int? {
        let input = JSONValue.string(text)
        switch IntegerText(parsing: text) {
        case .value(let value) where value >= minimum && value <= maximum:
            return value
        case .value(let value) where value < minimum:
            fallthrough
        case .outOfRange(negative: true):
            report("greater_than_equal", name, "Input should be greater than or equal to \(minimum)", input: input, ctx: [("ge", .number(String(minimum)))])
        case .outOfRange(negative: false), .value:
            report("less_than_equal", name, "Input should be less than or equal to \(maximum)", input: input, ctx: [("le", .number(String(maximum)))])
        case .tooLong:
            report("int_parsing_size", name, "Unable to parse input string as an integer, exceeded maximum size", input: input)
        case .invalid:
            report("int_parsing", name, "Input should be a valid integer, unable to parse string as an integer", input: input)
        }
        return nil
    }

    mutating func uuid(_ text: String, _ name: String) -> UUID? {
        if let uuid = UUID(text: text) { return uuid }
        let problem = UUID.problem(parsing: text)
        report("uuid_parsing", name, "Input should be a valid UUID, \(problem)", input: .string(text), ctx: [("error", .string(problem))])
        return nil
    }
}
