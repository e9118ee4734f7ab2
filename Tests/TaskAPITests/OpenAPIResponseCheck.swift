import Foundation
@testable import TaskAPI

/// Checks an answer against what taskd's OpenAPI document says of its operation: the status is
/// one the operation lists, the media type one that status lists, and a JSON body has the shape
/// of its schema. Stricter than JSON Schema in one way, on purpose: an object schema that lists
/// its properties takes no others, so a field served but not documented is found too.
/// Knows the keywords the document uses (`$ref`, `type`, `properties`, `required`, `items`,
/// `oneOf`, `const`, `enum`, `pattern`, `format: uuid`, length and range bounds); any other
/// keyword in a schema is a problem of its own, so the checker cannot silently pass it over.
struct OpenAPIResponseCheck {
    let document: JSONValue

    init(_ text: String) throws { document = try JSONParser.parse(Array(text.utf8)) }

    /// What is wrong with an answer of `status` to `method` on `template`; empty when nothing is.
    func problems(method: String, template: String, status: Int, contentType: String?, body: String) -> [String] {
        guard let operation = document["paths"]?[template]?[method.lowercased()] else {
            return ["\(method) \(template) is not in the document"]
        }
        guard let response = operation["responses"]?[String(status)] else {
            return ["\(method) \(template) answered \(status), which the document does not list"]
        }
        guard case .object(let contents)? = response["content"] else {
            return body.isEmpty ? [] : ["\(method) \(template) \(status) has a body; the document lists none"]
        }
        let mediaType = contentType?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard let content = contents.first(where: { $0.0 == mediaType })?.1 else {
            return ["\(method) \(template) \(status) is \(mediaType); the document lists \(contents.map(\.0))"]
        }
        guard mediaType == "application/json", let schema = content["schema"] else { return [] }
        let value: JSONValue
        do { value = try JSONParser.parse(Array(body.utf8)) } catch { return ["\(method) \(template) \(status): the body is not JSON"] }
        return problems(of: value, against: schema, at: "\(method) \(template) \(status)")
    }

    private static let keywordsChecked: Set<String> = [
        "$ref", "type", "properties", "required", "items", "oneOf", "const", "enum", "pattern", "format",
        "minLength", "maxLength", "minimum", "maximum", "maxItems",
    ]
    private static let keywordsThatDescribe: Set<String> = ["description", "default", "title"]

    func problems(of value: JSONValue, against schema: JSONValue, at place: String) -> [String] {
        guard case .object(let keywords) = schema else { return ["\(place): the schema is not an object"] }
        var found: [String] = []
        for (keyword, _) in keywords where !Self.keywordsChecked.contains(keyword) && !Self.keywordsThatDescribe.contains(keyword) {
            found.append("\(place): the checker does not know the keyword \(keyword)")
        }
        if case .string(let reference)? = schema["$ref"] {
            let name = reference.replacingOccurrences(of: "#/components/schemas/", with: "")
            guard let target = document["components"]?["schemas"]?[name] else { return found + ["\(place): \(reference) names no schema"] }
            found += problems(of: value, against: target, at: "\(place) (\(name))")
        }
        if let types = schema["type"] {
            let allowed: [String] = switch types {
            case .string(let type): [type]
            case .array(let list): list.compactMap { if case .string(let type) = $0 { type } else { nil } }
            default: []
            }
            guard allowed.contains(where: { Self.value(value, isOfType: $0) }) else {
                return found + ["\(place): \(Self.describe(value)) is not of type \(allowed)"]
            }
        }
        if case .array(let options)? = schema["oneOf"] {
            let matching = options.filter { problems(of: value, against: $0, at: place).isEmpty }.count
            if matching != 1 { found.append("\(place): \(Self.describe(value)) matches \(matching) of oneOf's \(options.count) schemas") }
        }
        if let constant = schema["const"], constant != value { found.append("\(place): \(Self.describe(value)) is not the constant \(Self.describe(constant))") }
        if case .array(let cases)? = schema["enum"], !cases.contains(value) { found.append("\(place): \(Self.describe(value)) is not one of the enum's") }
        switch value {
        case .object(let members):
            found += objectProblems(members, against: schema, at: place)
        case .array(let items):
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() { found += problems(of: item, against: itemSchema, at: "\(place)[\(index)]") }
            }
            if case .number(let most)? = schema["maxItems"], let most = Int(most), items.count > most { found.append("\(place): \(items.count) items, over \(most)") }
        case .string(let text):
            found += stringProblems(text, against: schema, at: place)
        case .number(let text):
            let number = Double(text) ?? .nan
            if case .number(let least)? = schema["minimum"], !(number >= Double(least)!) { found.append("\(place): \(text) is below \(least)") }
            if case .number(let most)? = schema["maximum"], !(number <= Double(most)!) { found.append("\(place): \(text) is above \(most)") }
        default:
            break
        }
        return found
    }

    private func objectProblems(_ members: [(String, JSONValue)], against schema: JSONValue, at place: String) -> [String] {
        var found: [String] = []
        if case .array(let required)? = schema["required"] {
            for case .string(let name) in required where !members.contains(where: { $0.0 == name }) {
                found.append("\(place): the required field \(name) is missing")
            }
        }
        guard case .object(let properties)? = schema["properties"] else { return found }
        for (name, member) in members {
            guard let propertySchema = properties.first(where: { $0.0 == name })?.1 else {
                found.append("\(place): the field \(name) is not documented")
                continue
            }
            found += problems(of: member, against: propertySchema, at: "\(place).\(name)")
        }
        return found
    }

    private func stringProblems(_ text: String, against schema: JSONValue, at place: String) -> [String] {
        var found: [String] = []
        let length = text.unicodeScalars.count
        if case .number(let least)? = schema["minLength"], let least = Int(least), length < least { found.append("\(place): \(length) characters, under \(least)") }
        if case .number(let most)? = schema["maxLength"], let most = Int(most), length > most { found.append("\(place): \(length) characters, over \(most)") }
        if case .string(let pattern)? = schema["pattern"] {
            if let expression = try? NSRegularExpression(pattern: pattern) {
                if expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
                    found.append("\(place): \(Self.describe(.string(text))) does not match \(pattern)")
                }
            } else {
                found.append("\(place): the pattern \(pattern) does not compile")
            }
        }
        if case .string("uuid")? = schema["format"], UUID(uuidString: text) == nil { found.append("\(place): \(text) is not a UUID") }
        return found
    }

    private static func value(_ value: JSONValue, isOfType type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object), ("number", .number): true
        case ("integer", .number(let text)): !text.contains(where: { ".eE".contains($0) })
        default: false
        }
    }

    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): "\(flag)"
        case .number(let text): text
        case .string(let text), .unpairedSurrogateString(let text): "\"\(text.prefix(60))\""
        case .array(let items): "an array of \(items.count)"
        case .object(let members): "an object with \(members.map(\.0))"
        }
    }
}
