import HTTPTypes
import Testing

@testable import TaskAPI

/// `value(of:)` must answer exactly what `HTTPFields`' own subscript answers, including for a
/// repeated header, which handlers see joined (and refuse: "Bearer a, Bearer b" is no token).
@Suite struct HTTPFieldsValueTests {
    @Test func answersAsTheSubscriptDoes() {
        let cookie = HTTPField.Name.cookie
        let cases: [HTTPFields] = [
            [:],
            [.authorization: "Bearer a"],
            [.contentType: "application/json", .authorization: "Bearer a"],
            [.authorization: "Bearer a", .contentType: "application/json", .authorization: "Bearer b"],
            [.authorization: "", .authorization: "Bearer b"],
            [cookie: "a=1", cookie: "b=2"],
        ]
        for fields in cases {
            for name in [HTTPField.Name.authorization, .contentType, cookie, .ifMatch] {
                #expect(fields.value(of: name) == fields[name], "\(name) in \(fields)")
            }
        }
        let repeated: HTTPFields = [.authorization: "Bearer a", .authorization: "Bearer b", cookie: "a=1", cookie: "b=2"]
        #expect(repeated.value(of: .authorization) == "Bearer a, Bearer b")
        #expect(repeated.value(of: cookie) == "a=1; b=2")
    }
}
