import Foundation
import TaskStoreTestSupport
import Testing
@testable import TaskStore

/// A data directory taskd wrote in format version 1, kept byte for byte, and the events that
/// wrote it. Every later taskd must read it: users upgrade the binary over the directory they
/// have. A change to the encoding that the writer and the reader make together passes every
/// round-trip test and still leaves those directories unreadable; `FrozenFormatTests` fail.
///
/// Written once, at 26670aa, by appending `events` straight to a store's log (LSN 1 – 5, 6, 7 – 9
/// and 10 – 18, each append a frame; the one record of LSN 6 does not deflate smaller, so its
/// frame is stored raw), a restart (which replayed them), `snapshotNow()` (start LSN 18), LSN
/// 19 – 22 and 23 – 25, and a clean close. If the format ever moves to a version 2, this
/// directory stays as it is, and a version 2 one joins it.
enum FrozenDataDirectory {
    static let snapshotLSN: LSN = 18
    static let historyID = "6cbb25ca0f265b59"

    static let ada = UUID(uuidString: "6A1E2B3C-4D5E-4F60-8172-8394A5B6C7D8")!
    static let bob = UUID(uuidString: "0B0B0B0B-1C1C-4D2D-8E3E-4F4F5A5A6B6B")!
    static let cyd = UUID(uuidString: "C7D00000-0000-4000-8000-00000000C7D0")!
    static let adasFamily = UUID(uuidString: "FA000001-0000-4000-8000-0000000000F1")!
    static let bobsFamily = UUID(uuidString: "B0B5FA11-9C3E-4D71-A2F8-5E6D7C8B9A01")!
    static let cydsFamily = UUID(uuidString: "FA000003-0000-4000-8000-0000000000F3")!
    static let work = UUID(uuidString: "CA000001-0000-4000-8000-00000000CA01")!
    static let anger = UUID(uuidString: "CA000002-0000-4000-8000-00000000CA02")!
    static let spare = UUID(uuidString: "CA000003-0000-4000-8000-00000000CA03")!
    static let report = UUID(uuidString: "7A000001-0000-4000-8000-000000007A01")!
    static let scratch = UUID(uuidString: "7A000002-0000-4000-8000-000000007A02")!
    static let complaint = UUID(uuidString: "7A000003-0000-4000-8000-000000007A03")!
    static let typo = UUID(uuidString: "7A000004-0000-4000-8000-000000007A04")!
    static let bobsTask = UUID(uuidString: "7A000005-0000-4000-8000-000000007A05")!

    /// 2026-11-18T11:06:40Z, and every time after it in whole seconds from it.
    static func at(_ seconds: Int64) -> Timestamp { Timestamp(milliseconds: 1_795_000_000_000 + seconds * 1000) }

    static let reportTask = TaskRecord(
        id: report, title: "Write report ✓", description: "Ünïcødé and\nnewlines", status: .inProgress, priority: .high,
        dueDate: Timestamp(milliseconds: 1_796_000_000_123), categoryID: work, createdAt: at(20), updatedAt: at(20),
        completedAt: nil, version: 1, changeSequence: 0)

    static func bare(_ id: TaskID, _ title: String, at seconds: Int64) -> TaskRecord {
        TaskRecord(
            id: id, title: title, description: nil, status: .todo, priority: .low, dueDate: nil, categoryID: nil,
            createdAt: at(seconds), updatedAt: at(seconds), completedAt: nil, version: 1, changeSequence: 0)
    }

    static func category(_ id: CategoryID, _ name: String, at seconds: Int64) -> UserEvent {
        .categoryCreated(CategoryRecord(id: id, name: name, createdAt: at(seconds), taskCount: 0, changeSequence: 0))
    }

    /// LSN 1 on, in order.
    static let events: [WALEvent] = {
        var complaintTask = bare(complaint, "Beschwerde schreiben", at: 40)
        complaintTask.categoryID = anger
        complaintTask.priority = .medium
        var finishedReport = reportTask
        finishedReport.status = .done
        finishedReport.completedAt = at(100)
        finishedReport.updatedAt = at(100)
        finishedReport.version = 2
        var bobs = bare(bobsTask, "Bob's only task", at: 60)
        bobs.description = ""
        bobs.dueDate = at(-86_400)
        var bobsDone = bobs
        bobsDone.status = .done
        bobsDone.completedAt = at(130)
        bobsDone.updatedAt = at(130)
        bobsDone.version = 2
        return [
            // 1 – 6: accounts.
            .account(.userRegistered(UserRecord(id: ada, email: "ada@example.com", passwordHash: "$2b$04$frozenfrozenfrozenfrozuJbqEGyW7ttCSXGCNDn2v9d1F5hxN1W", fullName: "Ada Lovelace", createdAt: at(0)))),
            .account(.userRegistered(UserRecord(id: bob, email: "bob@example.com", passwordHash: "$2b$04$anotherfrozenhashanothe.5hTyn8KzOQ2y1yCwnvp8hKvd5sFxJi", fullName: nil, createdAt: at(1)))),
            .account(.refreshFamilyStarted(adasFamily, userID: ada, digest: .repeating(0x0123_4567_89AB_CDEF), expiresAt: at(604_800))),
            .account(.refreshTokenRotated(adasFamily, digest: TokenDigest(words: (1, .max, 0xDEAD_BEEF, 0)), expiresAt: at(604_810))),
            .account(.refreshFamilyStarted(bobsFamily, userID: bob, digest: .repeating(7), expiresAt: at(604_801))),
            .account(.refreshFamilyRevoked(bobsFamily)),
            // 7 – 9: Ada's categories.
            .user(ada, category(work, "Work", at: 10)),
            .user(ada, category(anger, "Ärger", at: 11)),
            .user(ada, category(spare, "Spare", at: 12)),
            // 10 – 18: tasks, a deletion of each kind, a prune, and Bob's task.
            .user(ada, .taskCreated(reportTask, idempotencyKey: "key/1")),
            .user(ada, .taskCreated(bare(scratch, "scratch", at: 21), idempotencyKey: nil)),
            .user(ada, .taskDeleted(scratch, at: at(22))),
            .user(ada, .categoryDeleted(spare, at: at(23))),
            .user(ada, .pruned(idempotencyKeysBefore: at(0), tombstonesThrough: 7)),
            .user(ada, .taskCreated(complaintTask, idempotencyKey: "k3")),
            .user(ada, .taskCreated(bare(typo, "tpyo", at: 41), idempotencyKey: nil)),
            .user(ada, .taskDeleted(typo, at: at(42))),
            .user(bob, .taskCreated(bobs, idempotencyKey: "bob-1")),
            // 19 – 25: after the snapshot.
            .user(ada, .taskUpdated(finishedReport)),
            .user(ada, .categoryRenamed(work, name: "Büro", at: at(110))),
            .user(ada, .categoryDeleted(anger, at: at(120))),
            .user(bob, .taskUpdated(bobsDone)),
            .user(ada, .pruned(idempotencyKeysBefore: at(30), tombstonesThrough: 9)),
            .account(.userRegistered(UserRecord(id: cyd, email: "cyd@example.com", passwordHash: "$2b$04$thirdfrozenhashthirdfrOpQ4pM0D3r3YJm7uGQq0pbB4rD3wKAy", fullName: "Cyd ✓", createdAt: at(140)))),
            .account(.refreshFamilyStarted(cydsFamily, userID: cyd, digest: .repeating(3), expiresAt: at(604_940))),
        ]
    }()

    static let userIDs = [ada, bob, cyd]

    /// Writes the directory's files into `directory`: its one segment, its snapshot (unless not
    /// wanted) and its history id.
    static func write(to directory: TemporaryDirectory, includingSnapshot: Bool = true) throws {
        for (name, base64) in files where includingSnapshot || DataFileName.snapshotLSN(name) == nil {
            let bytes = try #require(Data(base64Encoded: base64.filter { !$0.isWhitespace }))
            try bytes.write(to: URL(fileURLWithPath: directory.file(name)))
        }
    }

    /// What the first `lsn` events make of empty states, applied as live commands apply them.
    static func states(through lsn: LSN) -> StoreStates {
        var accounts = AccountsState()
        var users = Dictionary(uniqueKeysWithValues: userIDs.map { ($0, UserState(userID: $0)) })
        var accountsUndo = UndoLog<AccountsUndoEntry>(recording: false)
        var usersUndo = UndoLog<UserUndoEntry>(recording: false)
        for (index, event) in events.prefix(Int(lsn)).enumerated() {
            switch event {
            case .account(let event): accounts.apply(event, lsn: LSN(index + 1), undo: &accountsUndo)
            case .user(let id, let event): users[id]!.apply(event, lsn: LSN(index + 1), undo: &usersUndo)
            }
        }
        return StoreStates(accounts: accounts, users: users)
    }
}

extension FrozenDataDirectory {
    /// The files, as taskd wrote them (base64).
    static let files: [(name: String, base64: String)] = [
        (
            "wal-00000000000000000001.log",
            """
            VERXRgEBAAARAQAAG3Xy1AEAAAAAAAAABQAAAKcBAAArZmTMktO28Y3zT2gsap6ydNvxG/yJKYkOqRWJuQU5qXrJ+bk2KkZJKgYm
            KmlF+VWpeehkqVdSoat7Zbh5SYlzcIS7s59LnlGZZYqhm2lGhZ9hOCOPY0qigk9+WWpOYnJqw49NT/dmpDMycgOBjIyvbp+dv39U
            VHY2f1J+ErKdtlA7E/PySzJSiyCWZiQWZ0AE9EwzQirzLLyr/AONKg0rncvzygosMrzLUkyL3Sq8MhkutG8G2uPByPSLgYGRgcGB
            oYEBDD6i+/X92dWd6a7KjLjoho7pyw5lWDAyoxsENBUM/kPB+31r70GFwNSCJTOAGoEu2LD1l+AcO9/CRT/icmu6Z2H4nB2qCxd9
            YTrIBQBURFdGAQAAABMAAADOsO9GBgAAAAAAAAABAAAAEwAAABIBBLC1+hGcPk1xovhebXyLmgFURFdGAQEAAFUAAAA6nNqcBwAA
            AAAAAAADAAAAkwAAANNnFM6S07bxjfNPaCxqnrJ02/EbpxgYGBkYHBgaGEDgFCNLeH5R9oIpW57uzWBgMMSqnglJPRPb4Zai9NSi
            D4shOgyw6mBG0sHMGlyQWJR6YDNEAwBURFdGAQEAADgBAAD4pbHTCgAAAAAAAAAJAAAALAIAAKtgFMiS07bxjfNPaCxqnrJ02/Eb
            VQwMjAwMDgwNDCBQxSgQXpRZkqpQlFqQX1Si8GjOZEaJw3PyDq9PPrwj5fBKhcS8FK681PKczLzUYkYmxm8LO+cfzWA8hWLIKcYD
            G7Y+3ZsBEmRkzU6t1De0wmoxE5LFTOzFyUWJJclAXUAw4QDMAAYNRiEsbkbR+uA8SLUGoyi6QqC7mBF2nGLecB+kUJJRDF1hw49N
            QAn2KKzORDKiilnEKbU4OaM8tSglVQHIKErNTErNA/sUaBmSq04xNbzcDgsEpmxjc6xGsyBcV8XCUlJQmQ/2/oUfMK04vI+ib0HH
            DqBF/owC3EAgI+Or22fn7x8VlZ0NjFtWJAtY+Z3yk9SLFfLzcioVShKLs4ERz8DY0NEwGRhXBxbugrmWNSk/SdcQAFREV0YBAQAA
            2AAAAO3ZEHATAAAAAAAAAAQAAAAjAQAAq2QUzJLTtvGN809oLGqesnTb8RtVDAyMDAwODA0MIFDFKBBelFmSqlCUWpBfVKLwaM5k
            RonDc/IOr08+vCPl8EqFxLwUrrzU8pzMvNRiJibGbws75x/NYDyFYsgpxgMbtj7dm9HwiJPxwKT9QBYTgx6jCLrN6JpYnQ7vKcp/
            sO4AUIMGoygW5UwIh55iajh9EKgwgFGQGwhkZHx1++z8/aOisrOBPmJFKKxi5XfKT1IvVsjPy6lUKEkszmZkYGJgbOhomLw3g+HA
            wl1AQx4c5WBc8PwQ2KEAVERXRgEBAACdAAAA20IlvBcAAAAAAAAAAwAAANIAAACTZBTLktO28Y3zT2gsap6ydNvxGw/ObHu6N4Mz
            j5Hx+AUGIHBgaABRDMcv8CdXpjikViTmFuSk6iXn59qoGCWpGJiolGRkFqWkFeVXpeZlJBZnQLn+BYEmBb4GLsZFxpFeueal7oGF
            BgVJTiZFLsbl3o6VjOzOlSkKj+ZMPtB8BGifByPTLwYGZoR1DJ/RrQdKggEu+sDkFcsOZQAA
            """
        ),
        (
            "snapshot-00000000000000000018.snap",
            """
            VERTTgEAAAASAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABURFdGAQEAABoCAABpdsh1AAAAAAAAAAAQAAAA5QMAAGNmZGRLZ2TiBgIZ
            GV/dPjt//6io7Gz+pPwkh9SKxNyCnFS95PxcWxWjJBUDE5XEvPySjNSitKL8qtS8jMTiDIiAnmlGSGWehXeVf6BRpWGlc3leWYFF
            hndZimmxW4VXJsOF9s1P92YUMzJlyWnb+Mb5JzQWNU9Zuu34Df7ElERke2yg9kAsQCdLvZIKXd0rw81LSpyDI9yd/VzyjMosUwzd
            TDMq/AzDGXkcUxIVfPLLUnMSk1MbfmwC2pnFyPyLgYGRgcGBoYEBDD6iuwEoCQb/oeD9vrX3oEJgivH92dWd6a7KOOkFS2YsO5TB
            IMYogB6MjEJMDBaMglUMDKwIF1Sx8jvlJ6kXK+Tn5VQqlCQWZ4NcwNjQ0TB5bwbDgYW7gM4G8hldGUVYgdGgawgRIs8QkKvQPcwj
            yMKeCHYVUrhUMQqEF2WWpCoUpRbkF5UoPJozmVHi8Jy8w+uTD+9IObxSITEvhSsvtTwnMy8VGJGM3xZ2zj+awXgKJXBPMR7YsBXi
            fBY3sA3MSP5mFnFKLU7OKE8tSklVADKKUjOTUvNABoCMYUKoPMXU8HI7xBhOeUYhdDtYwvOLshdM2QJUwcSqCJZH0cx2uKUoPbXo
            w2KwCi4pRmEmoBFILjnFvOE+yJkcQClGYLiyIKyuYlnQsQMoxRPOKMKUbQxxB1AJku4qsvzBCHVVMTBWs1Mr9Q0hIQU0mpaRwAgO
            KwBURFdGAQIAAAAAAAAgQgOXAQAAAAAAAAAAAAAAAAAAAA==
            """
        ),
        (
            "history-id",
            """
            NmNiYjI1Y2EwZjI2NWI1OQo=
            """
        ),
    ]
}
