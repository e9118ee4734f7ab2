import Testing

@testable import TaskAPI

/// Multipart login forms, read as python-multipart and Starlette read them for the service we
/// replace. Every answer here was recorded from it (`contract-fuzz.py --family multipart`
/// sends such bodies at random to both).
@Suite struct MultipartFormTests {
    private enum Outcome: Equatable {
        case fields([String: String])
        case refused(String)
    }

    private func read(_ body: [UInt8], _ contentType: String = "multipart/form-data; boundary=BND") -> Outcome {
        do {
            guard case .object(let members) = try MultipartForm.parse(body, contentType: contentType) else { return .refused("not an object") }
            return .fields(
                Dictionary(
                    members.map { name, value in
                        guard case .string(let text) = value else { return (name, "not text") }
                        return (name, text)
                    }, uniquingKeysWith: { $1 }))
        } catch {
            guard case .message(let message) = error.detail else { return .refused("issues") }
            return .refused(message)
        }
    }

    private func read(_ body: String, _ contentType: String = "multipart/form-data; boundary=BND") -> Outcome {
        read(Array(body.utf8), contentType)
    }

    private func part(_ name: String, _ value: String, _ extra: String = "", boundary: String = "BND") -> String {
        "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\(extra)\r\n\r\n\(value)\r\n"
    }

    private func credentials(boundary: String = "BND") -> String {
        part("username", "ada@example.com", boundary: boundary) + part("password", "correct horse", boundary: boundary)
    }
    private let login: Outcome = .fields(["username": "ada@example.com", "password": "correct horse"])

    @Test func anEmptyBoundaryIsABoundary() {
        let body = part("username", "ada@example.com", boundary: "") + part("password", "correct horse", boundary: "") + "----\r\n"
        #expect(read(body, "multipart/form-data; boundary=") == login)
        #expect(read(body, #"multipart/form-data; boundary="""#) == login)
    }

    /// A part ends at `CRLF--boundary` followed by a line end, by spaces or tabs and a line end,
    /// or by `--`; anything else after it is the part's data, and a delimiter the body ends
    /// inside of ends nothing.
    @Test func aPartEndsOnlyAtAWholeDelimiter() {
        for padding in [" \t", "\t"] {
            #expect(read(part("username", "ada@example.com") + "--BND\(padding)\r\n" + #"Content-Disposition: form-data; name="password""# + "\r\n\r\ncorrect horse\r\n--BND--") == login)
        }
        // After "--BND-" and a line end, the line end is read again as the start of the delimiter.
        #expect(read(part("password", "x\r\n--BND-") + "--BND--") == .fields(["password": "x\r\n--BND-"]))
        #expect(read(part("password", "a\r\n--BNDx") + "--BND--") == .fields(["password": "a\r\n--BNDx"]))
        #expect(read(part("username", "ada@example.com") + "--BND\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\ncorrect horse\r\n--BND") == .fields(["username": "ada@example.com"]))
        #expect(read(part("username", "ada@example.com") + "--BND \tx\r\n") == .refused("Invalid multipart data."))
        #expect(read("--BND--") == .fields([:]))
        #expect(read("--BND-x") == .refused("Invalid multipart data."))
    }

    /// Every line end inside the delimiters and headers is a CR and an LF; a body that ends on
    /// a CR has finished nothing.
    @Test func lineEndsAreCRLF() {
        let disposition = #"Content-Disposition: form-data; name="username""#
        #expect(read("--BND\n\(disposition)\r\n\r\nx\r\n--BND--") == .refused("Invalid multipart data."), "an LF alone after the first delimiter")
        #expect(read("--BND\n\n\(disposition)\r\n\r\nx\r\n--BND--") == .refused("Invalid multipart data."), "two LFs after the first delimiter")
        #expect(read("--BND\rX\(disposition)\r\n\r\nx\r\n--BND--") == .refused("Invalid multipart data."), "a CR alone after the first delimiter")
        #expect(read("--BND\r\nX-A: 1\rX\(disposition)\r\n\r\nx\r\n--BND--") == .refused("Invalid multipart data."), "a CR alone after a header")
        #expect(read("--BND\r\n\(disposition)\r\n\rX\r\nx\r\n--BND--") == .refused("Invalid multipart data."), "a CR alone after the headers")
        // The CR that would end the headers is not a ninth header.
        #expect(read("--BND\r\n" + String(repeating: "X-A: 1\r\n", count: 8) + "\r") == .fields([:]))
    }

    /// Text before the first delimiter is skipped only from a line end on.
    @Test func aPreambleIsSkippedAfterALineEnd() {
        #expect(read("\r\npreamble " + credentials() + "--BND--") == login)
        #expect(read("\npreamble " + credentials() + "--BND--") == login)
        #expect(read("preamble\r\n" + credentials() + "--BND--") == .refused("Invalid multipart data."))
        #expect(read("\r\nno delimiter at all") == .fields([:]), "nothing after the line end can start one")
    }

    /// Content-Disposition's parameters as python-multipart splits them.
    @Test func dispositionParametersAreReadAsPythonMultipartReadThem() {
        func disposition(_ value: String) -> Outcome { read("--BND\r\nContent-Disposition: \(value)\r\n\r\nx\r\n--BND--") }
        #expect(disposition(#"form-data; name="x"; name="username""#) == .fields(["username": "x"]))
        #expect(disposition(#"form-data; name="a;b""#) == .fields(["a;b": "x"]))
        #expect(disposition(#"form-data; name="a\"b""#) == .fields(["a\"b": "x"]))
        #expect(disposition(#"form-data; name="a\\"b""#) == .fields(["a\"b": "x"]), "`\\\\` is unescaped first, then `\\\"`")
        #expect(disposition(#"form-data; name="a\";b""#) == .fields(["a\";b": "x"]), "an escaped quote does not end the quotes")
        #expect(disposition("form-data; name") == .fields(["": "x"]))
        #expect(disposition("form-data; NAME=a") == .fields(["a": "x"]))
        #expect(disposition("form-data; name*=a") == .refused(#"The Content-Disposition header field "name" must be provided."#))
        #expect(read("--BND\r\nContent-Disposition : form-data; name=\"a\"\r\n\r\nx\r\n--BND--") == .refused("Invalid multipart data."))
        #expect(read("--BND\r\n: x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--BND--") == .refused("Invalid multipart data."))
        #expect(
            read("--BND\r\nContent-Disposition: form-data; name=\"first\"\r\ncontent-disposition: form-data; name=\"last\"\r\n\r\nx\r\n--BND--")
                == .fields(["last": "x"]), "of two dispositions the last counts")
        #expect(read("--BND\r\nX!#$%&'*+-.^_`|~: 1\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--BND--") == .fields(["a": "x"]))
        for name in ["X(A", "X@A", "X/A", "X\"A", "Xä"] {
            #expect(read("--BND\r\n\(name): 1\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--BND--") == .refused("Invalid multipart data."), "\(name)")
        }
        for header in ["content-disposition", "CONTENT-DISPOSITION"] {
            #expect(read("--BND\r\n\(header): form-data; name=\"a\"\r\n\r\nx\r\n--BND--") == .fields(["a": "x"]))
        }
        #expect(read(credentials(boundary: "a;b") + "--a;b--", #"multipart/form-data; boundary="a;b""#) == login)
        // A boundary is the field's bytes as sent; NIO reads a field as UTF-8, so these are its UTF-8.
        #expect(read(credentials(boundary: "bä") + "--bä--", "multipart/form-data; boundary=bä") == login)
    }

    /// Text is the Content-Type's charset, UTF-8 by default, and Latin-1 where it is not UTF-8.
    @Test func textIsReadInTheFormsCharset() {
        let latin1 = (part("username", "ada@example.com") + part("password", "pässword1") + "--BND--").unicodeScalars.map { UInt8($0.value) }
        let pässword: Outcome = .fields(["username": "ada@example.com", "password": "pässword1"])
        #expect(read(latin1, "multipart/form-data; boundary=BND; charset=latin-1") == pässword)
        #expect(read(latin1) == pässword, "bytes that are not UTF-8 are read as Latin-1")
        let utf8 = Array((part("username", "ada@example.com") + part("password", "pässword1") + "--BND--").utf8)
        #expect(read(utf8) == pässword)
        #expect(read(utf8, "multipart/form-data; boundary=BND; charset=UTF8") == pässword)
        let latin1Name = Array("--BND\r\nContent-Disposition: form-data; name=\"n".utf8) + [0xE4] + Array("me\"\r\n\r\nx\r\n--BND--".utf8)
        #expect(read(latin1Name) == .fields(["näme": "x"]), "a part's name is text in the form's charset too")
        #expect(read(Array((part("näme", "x") + "--BND--").utf8), "multipart/form-data; boundary=BND; charset=latin-1") == .fields(["nÃ¤me": "x"]))
        #expect(read(utf8, "multipart/form-data; boundary=BND; charset=iso-8859-1") == .fields(["username": "ada@example.com", "password": "pÃ¤ssword1"]))
        #expect(read(utf8, "multipart/form-data; boundary=BND; charset=nonesuch") == .fields(["username": "ada@example.com", "password": "pÃ¤ssword1"]))
        // Python's names for a charset, as its codecs normalise them: "utf8-ucs2" is UTF-8, "u-8" none.
        #expect(read(utf8, "multipart/form-data; boundary=BND; charset=utf8-ucs2") == pässword)
        #expect(read(utf8, "multipart/form-data; boundary=BND; charset=u-8") == .fields(["username": "ada@example.com", "password": "pÃ¤ssword1"]))
        // Leading punctuation goes, "." stays, and Windows' name for UTF-8 is Python's too
        // (each as `codecs.lookup` in Python 3.11 finds it, or does not).
        for (charset, isUTF8) in [("-utf-8", true), ("utf.8", false), ("cp65001", true), ("CP-65001", false)] {
            #expect(TextCharset(named: Array(charset.utf8)) == (isUTF8 ? .utf8 : .latin1), "\(charset)")
        }
    }

    @Test func theOldParsersLimitsHold() {
        let fields = (0..<998).map { part("f\($0)", "v") }.joined()
        guard case .fields(let read1000) = read(fields + credentials() + "--BND--") else {
            Issue.record("1,000 fields refused")
            return
        }
        #expect(read1000.count == 1000 && read1000["password"] == "correct horse")
        #expect(read(fields + part("f", "v") + credentials() + "--BND--") == .refused("Too many fields. Maximum number of fields is 1000."))
        let files = (0..<1001).map { part("f\($0)", "v", #"; filename="f""#) }.joined()
        #expect(read(files + credentials() + "--BND--") == .refused("Too many files. Maximum number of files is 1000."))
        func headers(_ extra: String) -> Outcome { read("--BND\r\n\(extra)Content-Disposition: form-data; name=\"username\"\r\n\r\nada\r\n--BND--") }
        #expect(headers(String(repeating: "X-A: 1\r\n", count: 7)) == .fields(["username": "ada"]))
        #expect(headers(String(repeating: "X-A: 1\r\n", count: 8)) == .refused("Invalid multipart data."))
        #expect(headers("X-A: " + String(repeating: "x", count: 4224 - 5) + "\r\n") == .fields(["username": "ada"]))
        #expect(headers("X-A: " + String(repeating: "x", count: 4225 - 5) + "\r\n") == .refused("Invalid multipart data."))
        let long = String(repeating: "b", count: 256)
        #expect(read(credentials(boundary: long) + "--\(long)--", "multipart/form-data; boundary=\(long)") == login)
        #expect(read(credentials(boundary: long + "b") + "--\(long)b--", "multipart/form-data; boundary=\(long)b") == .refused("Invalid multipart data."))
        #expect(read("", "multipart/form-data; boundary=\(long)b") == .refused("Invalid multipart data."))
    }
}
