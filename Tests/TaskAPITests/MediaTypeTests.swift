import Testing

@testable import TaskAPI

/// Content-Types as the service we replace told them apart: each case here was sent to it as
/// a login (`POST /auth/login`), where a form type is read as a form, a JSON type as JSON, and
/// any other a 415.
@Suite struct MediaTypeTests {
    @Test func jsonIsOneSlashApplicationAndJSONOrAPlusJSONName() {
        let json = [
            "application/json", "APPLICATION/JSON ; charset=utf-8", "application/+json", #"application/vnd+json; x="a;b""#,
            "\tapplication/x+json", "application/x+json\t", "application/ä+json",
        ]
        for contentType in json { #expect(MediaType(contentType: contentType)?.isJSON == true, "\(contentType.debugDescription)") }
        let other = [
            "application/a/b+json", "application/json/x", "application/ json", "application /json", "application/json+", "application/",
            "/json", "json", "text/plain; charset=a/b+json", #""application/json""#, "application/json, text/plain", "(c)application/json",
            "APPLICATION/JSONä",
        ]
        for contentType in other { #expect(MediaType(contentType: contentType)?.isJSON == false, "\(contentType.debugDescription)") }
    }

    /// The old service read the field as Latin-1, so a UTF-8 space other than an ASCII one was
    /// "Â" and more to it, and stayed; Swift would trim U+00A0 and U+2003, and take a Greek
    /// question mark (U+037E) for the `;` it is canonically equivalent to.
    @Test func onlySpacesAndTabsAreTrimmedAndOnlyASemicolonEndsTheType() {
        for contentType in ["application/json\u{A0}", "\u{A0}application/json", "application/json\u{2003}", "application/json\u{37E} charset=x"] {
            #expect(MediaType(contentType: contentType)?.isJSON == false, "\(contentType.debugDescription)")
        }
        #expect(MediaType(contentType: "multipart/form-data\u{A0}; boundary=BND") != .multipartForm)
        #expect(MediaType(contentType: "multipart/form-data\u{37E} boundary=BND") != .multipartForm)
        #expect(MediaType(contentType: "application/x-www-form-urlencoded\u{3000}") != .urlencodedForm)
        #expect(MediaType(contentType: " Multipart/Form-Data\t; boundary=BND") == .multipartForm)
        #expect(MediaType(contentType: "multipart/form-data;boundary=BND") == .multipartForm)
        #expect(MediaType(contentType: "APPLICATION/X-WWW-FORM-URLENCODED") == .urlencodedForm)
    }

    @Test func anEmptyContentTypeIsNone() {
        #expect(MediaType(contentType: nil) == nil)
        #expect(MediaType(contentType: "") == nil)
        #expect(MediaType(contentType: ";")?.isJSON == false)
        #expect(MediaType(contentType: " ")?.isJSON == false)
    }
}
