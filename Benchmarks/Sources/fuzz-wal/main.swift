// libFuzzer target: any bytes as a WAL segment, read by `taskd wal dump`'s code path. Built by
// Benchmarks/fuzz.sh with -sanitize=fuzzer; libFuzzer provides main and calls this per input.
import Foundation
import TaskStore

private let directory = NSTemporaryDirectory() + "taskd-fuzz-\(getpid())"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWALSegment(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    FileManager.default.createFile(atPath: directory + "/wal-00000000000000000001.log", contents: Data(bytes: data, count: size))
    _ = try? WALInspection(directory: directory).dump { _ in }
    return 0
}

// SwiftPM links an executable's entry point as `<target>_main`; hand control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32
) -> Int32

@_cdecl("fuzz_wal_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzWALSegment(data, size) }
}
