import Testing
@testable import TaskStore

@Suite struct UnacknowledgedCommitsTests {
    @Test func eachPositionMapsToTheCommitThatMadeIt() {
        var commits = UnacknowledgedCommits()
        // Commits at LSNs 11, 12, 13 own positions 1...3, 4...4, 5...9.
        commits.record(endPosition: 3, lsn: 11, acknowledged: 10)
        commits.record(endPosition: 4, lsn: 12, acknowledged: 10)
        commits.record(endPosition: 9, lsn: 13, acknowledged: 10)
        #expect((1...9).map { commits.lsn(ofChangeAt: $0, acknowledged: 10) } == [11, 11, 11, 12, 13, 13, 13, 13, 13])
    }

    @Test func acknowledgedCommitsNeedNoWaitAndAreForgotten() {
        var commits = UnacknowledgedCommits()
        commits.record(endPosition: 3, lsn: 11, acknowledged: 10)
        commits.record(endPosition: 4, lsn: 12, acknowledged: 10)
        commits.record(endPosition: 9, lsn: 13, acknowledged: 10)
        #expect(commits.lsn(ofChangeAt: 4, acknowledged: 12) == 0)
        #expect(commits.lsn(ofChangeAt: 2, acknowledged: 12) == 0, "not the next commit's LSN")
        #expect(commits.lsn(ofChangeAt: 5, acknowledged: 12) == 13)
        #expect(commits.lsn(ofChangeAt: 9, acknowledged: 13) == 0)
        #expect(commits.isEmpty)
    }

    @Test func commitsWithoutNewPositionsKeepTheFirstOwner() {
        var commits = UnacknowledgedCommits()
        commits.record(endPosition: 5, lsn: 21, acknowledged: 20)
        commits.record(endPosition: 5, lsn: 22, acknowledged: 20)  // e.g. pruning: no position of its own
        #expect(commits.lsn(ofChangeAt: 5, acknowledged: 20) == 21)
        #expect(commits.lsn(ofChangeAt: 5, acknowledged: 21) == 0)
    }

    @Test func afterAWALFailureNothingIsPending() {
        var commits = UnacknowledgedCommits()
        commits.record(endPosition: 3, lsn: 11, acknowledged: 10)
        commits.removeAll()
        #expect(commits.isEmpty && commits.lsn(ofChangeAt: 3, acknowledged: 10) == 0)
    }
}
