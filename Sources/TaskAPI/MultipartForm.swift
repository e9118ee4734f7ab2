import HTTPTypes

/// `multipart/form-data` bodies, which FastAPI's OAuth2 login form also took, read as the
/// service we replace read them: python-multipart 0.0.34's parser, state for state, behind
/// Starlette's form parser. So a part is a field only once the delimiter after it is whole
/// (`CRLF--boundary` and then a line end, spaces or tabs and a line end, or `--`), and a body
/// cut off keeps the parts before the cut; text before the first delimiter is skipped only
/// after a line end; the limits are its own (a 256-byte boundary, 8 headers a part, 4,224
/// bytes a header, 1,000 fields and 1,000 files); text is read as `TextCharset` says (UTF-8
/// unless the Content-Type's `charset` names another, and Latin-1 for text that is not UTF-8).
/// Text parts are form fields (`FormFields.object`); file parts (with a
/// `filename`) are left out, as the old service's login left them out.
struct MultipartForm {
    /// FastAPI's 400s, in its words.
    static let missingBoundary = APIError(.badRequest, "Missing boundary in multipart.")
    static let invalid = APIError(.badRequest, "Invalid multipart data.")
    static let unnamedPart = APIError(.badRequest, #"The Content-Disposition header field "name" must be provided."#)
    static let tooManyFiles = APIError(.badRequest, "Too many files. Maximum number of files is \(maximumFiles).")

    static let maximumBoundaryLength = 256
    static let maximumHeadersPerPart = 8
    static let maximumHeaderLength = 4096 + 128
    static let maximumFiles = 1000

    static func parse(_ bytes: [UInt8], contentType: String) throws(APIError) -> JSONValue {
        // The field's bytes as sent: NIO reads a field value as UTF-8. (Bytes that are not UTF-8
        // it replaces, so a Latin-1 boundary, which the old service matched, cannot match here.)
        let options = OptionsHeader.parameters(Array(contentType.utf8))
        guard let boundary = options[Array("boundary".utf8)] else { throw missingBoundary }
        guard boundary.count <= maximumBoundaryLength else { throw invalid }
        var form = MultipartForm(body: bytes, delimiter: Array("\r\n--".utf8) + boundary, charset: TextCharset(named: options[Array("charset".utf8)]))
        try form.read()
        return FormFields.object(form.fields)
    }

    private enum State {
        case start, startBoundary, headerFieldStart, headerField, headerValueStart, headerValue, headerValueAlmostDone
        case headersAlmostDone, partData, boundaryPadding, endBoundary, end
    }

    private struct Part {
        var disposition: [UInt8]?
        var name = ""
        var data: [UInt8] = []
        var isFile = false
    }

    private let body: [UInt8]
    /// `CRLF--boundary`: what ends a part's data.
    private let delimiter: [UInt8]
    private let charset: TextCharset
    private(set) var fields: [(String, String)] = []
    private var part = Part()
    private var headerField: [UInt8] = []
    private var headerCount = 0
    private var headerLength = 0
    private var fieldCount = 0
    private var fileCount = 0
    private var partDataStart: Int?

    private init(body: [UInt8], delimiter: [UInt8], charset: TextCharset) {
        self.body = body
        self.delimiter = delimiter
        self.charset = charset
    }

    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")
    private static let hyphen = UInt8(ascii: "-")
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")
    private static let crlf: [UInt8] = [cr, lf]

    /// python-multipart's `MultipartParser._internal_write` over the whole body as one chunk,
    /// with the same states and the same steps back (`i -= 1`: read this byte again in the
    /// next state), so that each odd body fails or passes as it did there.
    private mutating func read() throws(APIError) {
        let (cr, lf, hyphen) = (Self.cr, Self.lf, Self.hyphen)
        let length = body.count
        let delimiterLength = delimiter.count
        var state = State.start
        var index = 0
        var atPartBoundary = false
        var atLastBoundary = false
        var headerFieldStart = 0
        var headerValueStart = 0
        var i = 0
        while i < length {
            var c = body[i]
            switch state {
            case .start:
                if c == cr || c == lf {
                    // Leading line ends are skipped, and with them everything up to a "-".
                    guard let dash = body[i...].firstIndex(of: hyphen) else { return }
                    i = dash
                    continue
                }
                index = 0
                state = .startBoundary
                i -= 1
            case .startBoundary:
                if index == 0 && body[i...].starts(with: delimiter[2...]) {
                    index = delimiterLength - 2
                    i += index
                    continue
                }
                if index == delimiterLength - 2 {
                    if c == hyphen {
                        state = .endBoundary
                    } else if c != cr {
                        throw Self.invalid
                    }
                    index += 1
                } else if index == delimiterLength - 1 {
                    guard c == lf else { throw Self.invalid }
                    index = 0
                    beginPart()
                    state = .headerFieldStart
                } else {
                    guard c == delimiter[index + 2] else { throw Self.invalid }
                    index += 1
                }
            case .headerFieldStart:
                if body[i...].starts(with: Self.crlf) {
                    try headersFinished()
                    partDataStart = i + 2
                    index = 0
                    state = .partData
                    i += 2
                    continue
                }
                index = 0
                if c != cr {
                    headerCount += 1
                    guard headerCount <= Self.maximumHeadersPerPart else { throw Self.invalid }
                    headerLength = 0
                }
                headerFieldStart = i
                state = .headerField
                i -= 1
            case .headerField:
                if c == cr && index == 0 {
                    state = .headersAlmostDone
                    i += 1
                    continue
                }
                let colon = body[i...].firstIndex(of: UInt8(ascii: ":"))
                let end = colon ?? length
                try addHeaderLength(colon == nil ? end - i : end - i + 1)
                guard body[i..<end].allSatisfy(Self.isTokenByte) else { throw Self.invalid }
                index += end - i
                guard let colon else {
                    i = length
                    break
                }
                guard index > 0 else { throw Self.invalid }
                i = colon
                headerField = Array(body[headerFieldStart..<colon])
                state = .headerValueStart
            case .headerValueStart:
                if c == Self.space {
                    try addHeaderLength(1)
                    i += 1
                    continue
                }
                headerValueStart = i
                state = .headerValue
                i -= 1
            case .headerValue:
                let lineEnd = body[i...].firstIndex(of: cr)
                try addHeaderLength((lineEnd ?? length) - i)
                guard let lineEnd else {
                    i = length
                    break
                }
                i = lineEnd
                endHeader(value: Array(body[headerValueStart..<lineEnd]))
                headerLength = 0
                if body[lineEnd...].starts(with: Self.crlf) {
                    i += 1
                    state = .headerFieldStart
                } else {
                    state = .headerValueAlmostDone
                }
            case .headerValueAlmostDone:
                guard c == lf else { throw Self.invalid }
                state = .headerFieldStart
            case .headersAlmostDone:
                guard c == lf else { throw Self.invalid }
                try headersFinished()
                partDataStart = i + 1
                state = .partData
            case .partData:
                let previousIndex = index
                if index == 0 {
                    guard let found = firstDelimiter(from: i) else {
                        // No whole delimiter in the rest: the part is never finished.
                        i = length
                        continue
                    }
                    let after = found + delimiterLength
                    if body[after...].starts(with: Self.crlf) {
                        addPartData(until: found)
                        endPart()
                        beginPart()
                        state = .headerFieldStart
                        i = after + 2
                        continue
                    }
                    index = delimiterLength - 1
                    i = found + delimiterLength - 1
                    c = body[i]
                }
                if index < delimiterLength {
                    index = delimiter[index] == c ? index + 1 : 0
                } else if index == delimiterLength {
                    index += 1
                    if c == cr {
                        atPartBoundary = true
                    } else if c == hyphen {
                        atLastBoundary = true
                    } else if c == Self.space || c == Self.tab {
                        addPartData(until: i - delimiterLength)
                        index = 0
                        state = .boundaryPadding
                    } else {
                        index = 0
                    }
                } else if index == delimiterLength + 1 {
                    if atPartBoundary {
                        atPartBoundary = false
                        if c == lf {
                            addPartData(until: i - index)
                            endPart()
                            beginPart()
                            index = 0
                            state = .headerFieldStart
                            i += 1
                            continue
                        }
                        index = 0
                    } else if atLastBoundary {
                        if c == hyphen {
                            addPartData(until: i - index)
                            endPart()
                            state = .end
                        } else {
                            index = 0
                        }
                    }
                }
                if index == 0 && previousIndex > 0 { i -= 1 }
            case .boundaryPadding:
                if index == 0 && c == cr {
                    index = 1
                } else if index == 1 && c == lf {
                    endPart()
                    beginPart()
                    index = 0
                    state = .headerFieldStart
                } else if index == 1 || !(c == Self.space || c == Self.tab) {
                    throw Self.invalid
                }
            case .endBoundary:
                if index == delimiterLength - 1 {
                    guard c == hyphen else { throw Self.invalid }
                    index += 1
                    state = .end
                }
            case .end:
                return
            }
            i += 1
        }
    }

    private mutating func beginPart() {
        part = Part()
        headerCount = 0
        headerLength = 0
    }

    private mutating func addHeaderLength(_ count: Int) throws(APIError) {
        headerLength += count
        guard headerLength <= Self.maximumHeaderLength else { throw Self.invalid }
    }

    /// Starlette keeps the last Content-Disposition of a part; other headers do not matter here.
    private mutating func endHeader(value: [UInt8]) {
        if String(decoding: headerField, as: UTF8.self).lowercased() == "content-disposition" { part.disposition = value }
        headerField = []
    }

    private mutating func headersFinished() throws(APIError) {
        let options = OptionsHeader.parameters(part.disposition ?? [])
        guard let name = options[Array("name".utf8)] else { throw Self.unnamedPart }
        part.name = charset.decode(name)
        if options[Array("filename".utf8)] != nil {
            part.isFile = true
            fileCount += 1
            guard fileCount <= Self.maximumFiles else { throw Self.tooManyFiles }
        } else {
            fieldCount += 1
            guard fieldCount <= FormFields.maximumCount else { throw FormFields.tooMany }
        }
    }

    private mutating func addPartData(until end: Int) {
        if let start = partDataStart, end > start { part.data += body[start..<end] }
        partDataStart = nil
    }

    private mutating func endPart() {
        if !part.isFile { fields.append((part.name, charset.decode(part.data))) }
    }

    private func firstDelimiter(from start: Int) -> Int? {
        var index = start
        while index <= body.count - delimiter.count {
            if body[index] == delimiter[0] && body[index..<index + delimiter.count].elementsEqual(delimiter) { return index }
            index += 1
        }
        return nil
    }

    /// A header name's bytes: RFC 7230's token characters.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: tokenPunctuation.contains(byte)
        }
    }

    /// Made once: the check runs on every byte of every header name.
    private static let tokenPunctuation = Array("!#$%&'*+-.^_`|~".utf8)
}
