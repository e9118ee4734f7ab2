/// The records of a snapshot's frames (see WALFormat.md). States are split into small records
/// (a header, then one record per task, category, ...), so no record grows with a user's size.
enum SnapshotCodec {
    private enum RecordType: UInt8 {
        case accountsHeader = 1, user, family
        case userHeader = 16, task, category, tombstone, idempotency
    }

    /// The accounts state's records; call `flush` where a frame may end.
    static func encode(_ accounts: AccountsState, into encoder: FrameEncoder, flushWhenFull flush: () throws -> Void) rethrows {
        encoder.addRecord { w in
            w.write(RecordType.accountsHeader.rawValue)
            w.write(varint: accounts.lastAppliedLSN)
        }
        for user in accounts.users.values {
            encoder.addRecord { w in
                w.write(RecordType.user.rawValue)
                w.write(user)
            }
            try flush()
        }
        for family in accounts.families.values {
            encoder.addRecord { w in
                w.write(RecordType.family.rawValue)
                w.write(family.id)
                w.write(family.userID)
                w.write(family.currentDigest)
                w.write(varint: UInt64(family.retiredDigests.count))
                for digest in family.retiredDigests { w.write(digest) }
                w.write(family.expiresAt)
                w.write(false)  // revoked: a family is now dropped when revoked; older snapshots may hold one
            }
            try flush()
        }
    }

    /// One user state's records, its header first; call `flush` where a frame may end.
    static func encode(_ state: UserState, into encoder: FrameEncoder, flushWhenFull flush: () throws -> Void) rethrows {
        encodeHeader(of: state, into: encoder)
        for task in state.tasks.values {
            encoder.addRecord { w in
                w.write(RecordType.task.rawValue)
                w.write(task)
            }
            try flush()
        }
        encodeRest(of: state, into: encoder)
        try flush()
    }

    /// A user state's first record; its tasks follow, then the rest.
    static func encodeHeader(of state: UserState, into encoder: FrameEncoder) {
        encoder.addRecord { w in
            w.write(RecordType.userHeader.rawValue)
            w.write(state.userID)
            w.write(varint: state.changeSequence)
            w.write(varint: state.lastAppliedLSN)
            w.write(state.tasks.count)
            w.write(varint: state.prunedThroughSequence)
        }
    }

    /// The tasks at `positions`, in order.
    static func encodeTasks(of state: UserState, at positions: Range<Int>, into encoder: FrameEncoder) {
        for position in positions {
            encoder.addRecord { w in
                w.write(RecordType.task.rawValue)
                w.write(state.tasks.values[position])
            }
        }
    }

    /// What follows a user state's tasks: its categories, tombstones and idempotency records.
    static func encodeRest(of state: UserState, into encoder: FrameEncoder) {
        for category in state.categories.values {
            encoder.addRecord { w in
                w.write(RecordType.category.rawValue)
                w.write(category)
            }
        }
        for tombstone in state.tombstones {
            encoder.addRecord { w in
                w.write(RecordType.tombstone.rawValue)
                w.write(tombstone.kind.rawValue)
                w.write(tombstone.id)
                w.write(tombstone.deletedAt)
                w.write(varint: tombstone.changeSequence)
            }
        }
        for record in state.idempotencyRecords.values {
            encoder.addRecord { w in
                w.write(RecordType.idempotency.rawValue)
                w.write(record.key)
                w.write(record.createdAt)
                w.write(record.task)
                w.write(optional: record.categoryName) { $0.write($1) }
            }
        }
    }

    /// Rebuilds states record by record; derived indexes are rebuilt from what they index.
    struct Decoder {
        var accounts = AccountsState()
        var users: [UserState] = []
        /// User headers decoded so far: one per user, in the order of `users`.
        private(set) var userHeadersRead = 0
        /// Task records decoded so far, of every user.
        private(set) var tasksRead = 0
        private var current: UserState?

        mutating func decode(_ r: inout BinaryReader) throws(DecodeError) {
            let typeOffset = r.offset
            guard let type = RecordType(rawValue: try r.readByte()) else {
                throw DecodeError(offset: typeOffset, reason: "unknown snapshot record type")
            }
            switch type {
            case .accountsHeader:
                accounts.lastAppliedLSN = try r.readVarint()
            case .user:
                let user = try r.readUser()
                accounts.users[user.id] = user
                accounts.userIDByEmail[ExactText(user.email)] = user.id
            case .family:
                let id = try r.readUUID()
                let userID = try r.readUUID()
                let current = try r.readDigest()
                var retired: [TokenDigest] = []
                for _ in 0..<(try r.readLength()) { retired.append(try r.readDigest()) }
                let family = RefreshTokenFamily(
                    id: id, userID: userID, currentDigest: current, retiredDigests: retired, expiresAt: try r.readTimestamp())
                // Written by a build that kept revoked families: drop it, as revoking now does.
                if try r.readBool() { break }
                accounts.families[id] = family
                for digest in retired + [current] { accounts.familyIDByDigest[digest] = id }
            case .userHeader:
                finishUser()
                userHeadersRead += 1
                var state = UserState(userID: try r.readUUID())
                state.changeSequence = try r.readVarint()
                state.lastAppliedLSN = try r.readVarint()
                state.tasks.beginBulkLoad()
                state.tasks.reserveCapacity(max(0, min(try r.readInt(), 1 << 24)))
                state.prunedThroughSequence = try r.readVarint()
                current = state
            case .task:
                let task = try r.readTask()
                tasksRead += 1
                // Stamped with the state's LSN, the name the snapshot's frames go by.
                try withCurrent(r) { $0.tasks.upsert(task, stamp: $0.lastAppliedLSN) }
            case .category:
                let category = try r.readCategory()
                try withCurrent(r) {
                    $0.categories[category.id] = category
                    $0.categoryIDByFoldedName[CategoryRecord.foldedName(category.name)] = category.id
                }
            case .tombstone:
                let kindOffset = r.offset
                guard let kind = Tombstone.Kind(rawValue: try r.readByte()) else {
                    throw DecodeError(offset: kindOffset, reason: "unknown tombstone kind")
                }
                let tombstone = Tombstone(kind: kind, id: try r.readUUID(), deletedAt: try r.readTimestamp(), changeSequence: try r.readVarint())
                try withCurrent(r) { $0.tombstones.append(tombstone) }
            case .idempotency:
                let key = try r.readString()
                let createdAt = try r.readTimestamp()
                let task = try r.readTask()
                let record = IdempotencyRecord(key: key, task: task, categoryName: try r.readOptional { r throws(DecodeError) in try r.readString() }, createdAt: createdAt)
                try withCurrent(r) { $0.idempotencyRecords[key] = record }
            }
        }

        mutating func finishUser() {
            if var current {
                current.tasks.endBulkLoad()
                users.append(current)
            }
            current = nil
        }

        private mutating func withCurrent(_ r: BinaryReader, _ body: (inout UserState) -> Void) throws(DecodeError) {
            guard current != nil else { throw r.failure("a user's record before any user header") }
            body(&current!)
        }
    }
}
