import Testing
import TaskStore

/// glibc takes both thresholds (it refuses an mmap threshold above 32 MiB, for one). What they
/// do to memory is measured by `taskstore-bench recover`, not here: whether a block is mapped
/// on its own also depends on the free space other tests left in the process's heaps.
@Suite struct MallocSettingsTests {
    @Test func glibcTakesBothThresholds() {
        #if canImport(Glibc)
        #expect(MallocSettings.apply())
        #endif
    }
}
