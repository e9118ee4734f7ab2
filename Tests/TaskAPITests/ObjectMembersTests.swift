import TaskStoreTestSupport
import Testing

@testable import TaskAPI

/// Against a model of a Python dict (insertion order, each key once, the last value), on both
/// sides of the point where a scan gives way to an index: repeats of early and late keys, and
/// two spellings of one letter as two keys.
@Suite struct ObjectMembersTests {
    @Test(arguments: [0, 1, ObjectMembers.scanLimit - 1, ObjectMembers.scanLimit, ObjectMembers.scanLimit + 1, 200])
    func holdsWhatAPythonDictHolds(distinctKeys: Int) {
        var generator = SeededGenerator(seed: UInt64(distinctKeys) + 1)
        let keys = (0..<distinctKeys).map { "k\($0)" } + ["\u{E9}", "e\u{301}"]
        var members = ObjectMembers()
        var order: [[UInt8]] = []
        var values: [[UInt8]: JSONValue] = [:]
        for step in 0..<(3 * keys.count) {
            // Every key once in order first, so that each count is passed through; then at random.
            let key = step < keys.count ? keys[step] : keys[Int.random(in: 0..<keys.count, using: &generator)]
            let value = JSONValue.number(String(step))
            members.set(key, to: value)
            let bytes = Array(key.utf8)
            if values[bytes] == nil { order.append(bytes) }
            values[bytes] = value
        }
        #expect(members.members.map { Array($0.0.utf8) } == order)
        #expect(members.members.map(\.1) == order.map { values[$0]! })
    }
}
