import Testing

@testable import TaskAPI

/// uvicorn's reading, which the old service runs with 127.0.0.1 as its trusted proxy: every case
/// gives what uvicorn 0.54's `_TrustedHosts("127.0.0.1")` gives, except that taskd takes every
/// loopback address (127.0.0.2, ::1, ::ffff:127.0.0.1) for a proxy on this host too.
struct ForwardedForTests {
    private func client(_ values: String...) -> String? { ForwardedFor(headerValues: values).clientHost }

    @Test func theClientIsTheRightmostAddressThatIsNotAProxyOnThisHost() {
        #expect(client("203.0.113.7") == "203.0.113.7")
        #expect(client("192.0.2.1, 203.0.113.7") == "203.0.113.7")
        #expect(client("192.0.2.1, 203.0.113.7, 127.0.0.1") == "203.0.113.7")
        #expect(client("192.0.2.1,203.0.113.7 ,  127.0.0.2, ::1") == "203.0.113.7")
        #expect(client("192.0.2.1, ::ffff:127.0.0.1") == "192.0.2.1")
    }

    @Test func linesOfTheHeaderAreReadInOrderAsOneList() {
        #expect(client("192.0.2.1", "203.0.113.7") == "203.0.113.7")
        #expect(client("203.0.113.7", "127.0.0.1") == "203.0.113.7")
    }

    @Test func whenEveryEntryIsLoopbackTheLeftmostCounts() {
        #expect(client("127.0.0.5, 127.0.0.1") == "127.0.0.5")
        #expect(client("[::1]:8080") == "::1")
    }

    @Test func portsAreDroppedAndAnythingElseIsKeptWhole() {
        #expect(client("203.0.113.7:41000") == "203.0.113.7")
        #expect(client("[2001:db8::7]:41000") == "2001:db8::7")
        #expect(client("[2001:db8::7]") == "2001:db8::7")
        #expect(client("2001:db8::7") == "2001:db8::7")
        #expect(client("[2001:db8::7") == "[2001:db8::7")
        #expect(client("[2001:db8::7]x") == "[2001:db8::7]x")
        #expect(client("unknown") == "unknown")
    }

    @Test func anEmptyEntryWhereTheClientShouldBeLeavesTheSocketPeer() {
        #expect(client("") == nil)
        #expect(client("192.0.2.1, ") == nil)
        // Left of a proxy's entry too: the empty one is the rightmost that is not a proxy.
        #expect(client(", 127.0.0.1") == nil)
        #expect(client("192.0.2.1, , 127.0.0.1") == nil)
        #expect(client() == nil)
    }
}
