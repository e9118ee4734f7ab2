import Foundation
import Testing

@testable import taskd

struct LogLineHandlerTests {
    @Test func jsonStringsReadBackAsWhatWasWritten() throws {
        let texts = ["plain", "quote \" and backslash \\", "lines\nand\rtabs\t\u{8}\u{C}", "\u{0}\u{1}\u{1F}\u{7F}", "/path/ü/😀/\u{2028}", ""]
        for text in texts {
            var line: [UInt8] = []
            LogLineHandler.appendJSONString(text.utf8, to: &line)
            let read = try JSONSerialization.jsonObject(with: Data(line), options: .fragmentsAllowed) as? String
            #expect(read == text, "\(String(decoding: line, as: UTF8.self))")
        }
        var slash: [UInt8] = []
        LogLineHandler.appendJSONString("a/b".utf8, to: &slash)
        #expect(String(decoding: slash, as: UTF8.self) == #""a/b""#)
    }
}
