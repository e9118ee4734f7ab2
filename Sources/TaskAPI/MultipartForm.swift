import HTTPTypes

/// `multipart/form-data` bodies, which FastAPI's OAuth2 login form also took, read as
/// python-multipart (and so the service we replace) read them: text parts as form fields
/// (`FormFields.object`), file parts (with a `filename`) left out, and a
/// body cut off before its closing boundary keeping the parts before the cut.
enum MultipartForm {
    /// FastAPI's 400s, in its words.
    static let missingBoundary = APIError(.badRequest, "Missing boundary in multipart.")
    static let invalid = APIError(.badRequest, "Invalid multipart data.")
    static let unnamedPart = APIError(.badRequest, #"The Content-Disposition header field "name" must be provided."#)

    static func parse(_ bytes: [UInt8], contentType: String) throws(APIError) -> JSONValue {
        guard let boundary = boundary(in: contentType) else { throw missingBoundary }
        if bytes.isEmpty { return .object([]) }
        guard !boundary.isEmpty else { throw invalid }
        let delimiter = Array("--\(boundary)".utf8)
        let crlf: [UInt8] = [0x0D, 0x0A]
        guard bytes.starts(with: delimiter) else { throw invalid }
        var fields: [(String, String)] = []
        var position = delimiter.count
        while position < bytes.count {
            let rest = bytes[position...]
            if rest.starts(with: [0x2D, 0x2D]) { break }  // "--": the closing delimiter
            guard rest.starts(with: crlf) else { throw invalid }
            position += 2
            // From the delimiter's own line end, so that a part without headers is found too.
            guard let headersEnd = find(crlf + crlf, in: bytes, from: position - 2) else { break }
            let headers = String(decoding: bytes[position..<max(position, headersEnd)], as: UTF8.self)
            position = headersEnd + 4
            guard let contentEnd = find(crlf + delimiter, in: bytes, from: position) else { break }
            switch part(headers) {
            case .text(let name): fields.append((name, String(decoding: bytes[position..<contentEnd], as: UTF8.self)))
            case .file: break
            case .unnamed: throw unnamedPart
            }
            position = contentEnd + 2 + delimiter.count
        }
        return FormFields.object(fields)
    }

    /// The `boundary` parameter of a Content-Type; empty when it is given empty.
    static func boundary(in contentType: String) -> String? {
        parameters(of: Substring(contentType)).last { $0.name == "boundary" }?.value
    }

    private enum Part {
        case text(name: String)
        case file
        case unnamed
    }

    /// What a part is, from its Content-Disposition: a file when it has a `filename`.
    private static func part(_ headers: String) -> Part {
        for line in headers.split(separator: "\r\n") {
            let header = line.split(separator: ":", maxSplits: 1)
            guard header.count == 2, header[0].lowercased() == "content-disposition" else { continue }
            let parameters = parameters(of: header[1])
            if parameters.contains(where: { $0.name == "filename" }) { return .file }
            return parameters.last { $0.name == "name" }.map { .text(name: $0.value) } ?? .unnamed
        }
        return .unnamed
    }

    /// The `name=value` parameters after a header's first `;`, names lowercased, values unquoted.
    private static func parameters(of header: Substring) -> [(name: String, value: String)] {
        header.split(separator: ";").dropFirst().compactMap { parameter in
            let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { return nil }
            var value = Substring(String(pair[1]).trimmedOfWhitespace)
            if value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\"") { value = value.dropFirst().dropLast() }
            return (String(pair[0]).trimmedOfWhitespace.lowercased(), String(value))
        }
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard needle.count <= bytes.count - start else { return nil }
        var index = start
        while index <= bytes.count - needle.count {
            if bytes[index] == needle[0] && bytes[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
