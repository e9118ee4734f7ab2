#if canImport(Glibc)
import Glibc
import Testing
import TaskStore

/// Blocks above 1 MiB stay out of the heap even after a larger one was freed, which by
/// default would raise glibc's threshold and put the next ones in the heap.
@Suite struct MallocSettingsTests {
    @Test func aLargeBlockIsMappedEvenAfterALargerOneWasFreed() throws {
        #expect(MallocSettings.apply())
        free(malloc(16 << 20))
        let block = try #require(malloc(MallocSettings.mmapThreshold * 2))
        defer { free(block) }
        // glibc keeps a chunk's size just before it, with bit 1 set for a chunk of its own mapping
        // (per block, so other tests' allocations meanwhile cannot disturb it).
        let sizeField = block.load(fromByteOffset: -MemoryLayout<UInt>.size, as: UInt.self)
        #expect(sizeField & 2 != 0, "the block was mapped on its own, not taken from the heap")
    }
}
#endif
