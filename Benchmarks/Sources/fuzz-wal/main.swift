// libFuzzer target: any bytes as a WAL segment, read by `taskd wal dump`'s code path. Built by
// Benchmarks/fuzz.sh with -sanitize=fuzzer; libFuzzer provides main and calls this per input.
import Foundation
import TaskStore

private let directory = NSTemporaryDirectory() + "taskd-fuzz-\(getpid())"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWALSegment(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: directory + "/wal-00000000000000000001.log", contents: Data(bytes: data, count: size))
    _ = try? WALInspection(directory: directory).dump { _ in }
    return 0
}

// SwiftPM links an executable's entry point as `<target>_main`; hand control to libFuzzer's driver.
// The driver is looked up at run time, so the package still links (and `swift test` builds)
// without -sanitize=fuzzer.
private typealias FuzzerDriver = @convention(c) (
    UnsafeMutablePointer<Int32>, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    @convention(c) (UnsafePointer<UInt8>, Int) -> Int32
) -> Int32

@_cdecl("fuzz_wal_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "LLVMFuzzerRunDriver") else {
        FileHandle.standardError.write(Data("fuzz-wal has no libFuzzer linked in: build and run it with Benchmarks/fuzz.sh\n".utf8))
        return 2
    }
    let driver = unsafeBitCast(symbol, to: FuzzerDriver.self)
    atexit { try? FileManager.default.removeItem(atPath: directory) }
    var count = argc
    var arguments = argv
    return driver(&count, &arguments) { data, size in fuzzWALSegment(data, size) }
}
