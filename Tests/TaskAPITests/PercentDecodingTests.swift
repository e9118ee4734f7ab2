import Hummingbird
import Testing
@testable import TaskAPI

/// Paths, query strings and forms are decoded as Python's `unquote` and `parse_qsl` decoded
/// them in the service taskd replaces (expected values from Python 3.11).
@Suite struct PercentDecodingTests {
    @Test func escapesAreDecodedAndWhatIsNotAnEscapeStays() {
        #expect(PercentDecoding.decode("%41%zz%42") == "A%zzB")
        #expect(PercentDecoding.decode("%4a%4A") == "JJ")
        #expect(PercentDecoding.decode("100%") == "100%")
        #expect(PercentDecoding.decode("%2") == "%2")
        #expect(PercentDecoding.decode("%C3%A9t%C3%A9") == "été")
        #expect(PercentDecoding.decode("%2525") == "%25", "decoded once")
        #expect(PercentDecoding.decode("a+b") == "a+b")
        #expect(PercentDecoding.decode("a+b%20c") == "a+b c", "in a path a plus stays, escapes or not")
    }

    @Test func bytesThatAreNotUTF8BecomeReplacementCharacters() {
        #expect(PercentDecoding.decode("%ff") == "\u{FFFD}")
        #expect(PercentDecoding.decode("x%E2%82y") == "x\u{FFFD}y")
    }

    @Test func inAQueryAPlusIsASpace() {
        #expect(PercentDecoding.decode("hello+world", plusAsSpace: true) == "hello world")
        #expect(PercentDecoding.decode("a%2Bb+", plusAsSpace: true) == "a+b ")
    }

    @Test func aQueryStringIsReadAsParseQslReadsIt() {
        let query = QueryString("q=hello+world&&l%69mit=5&flag&=anonymous&q=x%26y&status=todo&status=done&")
        #expect(query.all("q") == ["hello world", "x&y"])
        #expect(query.last("q") == "x&y")
        #expect(query.last("limit") == "5")
        #expect(query.last("l%69mit") == nil)
        #expect(query.last("flag") == "")
        #expect(query.last("") == "anonymous")
        #expect(query.all("status") == ["todo", "done"])
        #expect(query.last("missing") == nil && query.all("missing").isEmpty)
        #expect(QueryString(nil).all("q").isEmpty)
        #expect(QueryString("a=1=2").last("a") == "1=2")
        #expect(QueryString("st%61tus&q+x").fields.map(\.name) == ["status", "q x"], "a name without a value is decoded too")
        #expect(QueryString("due+before=a+b").fields.map { [$0.name, $0.value] } == [["due before", "a b"]], "a name's plus is a space")
    }

    @Test func aTargetIsRoutedByItsDecodedPath() {
        typealias Decoded = DecodedPathResponder<CallbackResponder<TaskRequestContext>>
        #expect(Decoded.decodedTarget("/tasks?q=%41") == nil, "nothing to decode in the path")
        #expect(Decoded.decodedTarget("/t%61sks?q=%41+b") == "/tasks?q=%41+b", "the query as sent")
        #expect(Decoded.decodedTarget("/tasks%2Fabc") == "/tasks/abc")
        #expect(Decoded.decodedTarget("/tasks#top?limit=1") == "/tasks")
        #expect(Decoded.decodedTarget("/tasks/%2525%3f%23%20%09x%7f%41") == "/tasks/%2525%3F%23%20%09x%7FA")
        #expect(Decoded.decodedTarget("/tasks/%C3%A9%ff") == "/tasks/é\u{FFFD}")
    }
}
