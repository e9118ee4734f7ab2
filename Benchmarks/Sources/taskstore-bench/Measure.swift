import Foundation

enum Measure {
    /// Resident set size of this process, from /proc/self/status.
    static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return 0 }
        return kilobytes * 1024
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func directoryBytes(_ path: String, matching suffix: String) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { $0.hasSuffix(suffix) }.reduce(0) { total, name in
            total + ((try? FileManager.default.attributesOfItem(atPath: "\(path)/\(name)")[.size] as? Int) ?? 0)
        }
    }

    static func format(_ value: Double) -> String { String(format: "%.0f", value) }
}

/// Realistic task contents, as in the floor's sample data.
enum SampleTask {
    static let titles = [
        "Write quarterly report", "Fix login redirect bug", "Review pull request #482", "Plan team offsite",
        "Update dependency versions", "Call dentist for appointment", "Prepare slides for demo", "Renew passport",
        "Migrate staging database", "Draft blog post on caching", "Order new monitor", "Refactor payment module",
    ]
    static let descriptions: [String?] = [
        "Collect numbers from finance and summarise the main trends for the board.",
        "Users are sent to the wrong page after signing in with SSO; reproduce and fix.",
        "Check error handling and add tests for the new retry logic before merging.",
        "Pick a venue, a date and a rough agenda; send a poll to the team.", nil,
    ]
    static let categories = ["Work", "Home", "Errands", "Health", "Side project"]
}
