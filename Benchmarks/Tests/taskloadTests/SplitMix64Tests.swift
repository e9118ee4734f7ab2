import Testing

@testable import taskload

@Suite struct SplitMix64Tests {
    /// The published SplitMix64 sequence for seed 0 (as in Vigna's splitmix64.c), so picks are
    /// as uniform as that generator's.
    @Test func matchesTheReferenceSequence() {
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(generator.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func picksEveryOperationOfMixedAboutAsOftenAsItShould() {
        var generator = SplitMix64(seed: 42)
        var counts = [Int](repeating: 0, count: 10)
        for _ in 0..<100_000 { counts[Int.random(in: 0..<10, using: &generator)] += 1 }
        #expect(counts.allSatisfy { (9_500...10_500).contains($0) }, "\(counts)")
    }
}
