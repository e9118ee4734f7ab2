import TaskStoreTestSupport
import Testing
@testable import TaskStore

@Suite struct DeflaterTests {
    /// A result as long as its input saves nothing and costs an inflate on every read, so it is
    /// given up for the raw bytes; one a byte shorter is kept. Runs of zeros then noise:
    /// deflate's output crosses the input's length among these, byte by byte.
    @Test func aResultIsKeptExactlyWhenItIsSmallerThanItsInput() {
        var rng = SeededGenerator(seed: 17)
        let noise = (0..<64).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let deflater = Deflater()
        var sizes: Set<Int> = []
        for zeros in 0..<24 {
            for noiseLength in 0...noise.count {
                let input = [UInt8](repeating: 0, count: zeros) + noise.prefix(noiseLength)
                var output: [UInt8] = [7]
                let length = input.withUnsafeBytes { deflater.compress($0, appendingTo: &output) }
                if let length {
                    #expect(length < input.count, "\(zeros) zeros, \(noiseLength) bytes of noise")
                    #expect(output.count == 1 + length)
                    sizes.insert(input.count - length)
                } else {
                    #expect(output == [7], "a refused result leaves the output as it was")
                }
            }
        }
        #expect(sizes.contains(1), "an input that deflates to one byte less than itself is kept")
    }
}
