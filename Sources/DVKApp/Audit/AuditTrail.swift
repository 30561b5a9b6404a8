import DVKCore
import FluentKit
import Foundation
import SQLKit
import Synchronization
import Vapor

/// Who does something: a signed-in person (named with their role and unit), the person an
/// invitation or a reset link names, or the CLI (with the operating system's user).
struct Actor: Sendable, Equatable {
    /// Who the current request or command acts as: set once by `AuditActorMiddleware` for
    /// a request and by `DVK.run` for a command, read by every store that writes the trail.
    @TaskLocal static var current: Actor?

    var userID: UUID?
    var role: Role
    var unitID: UUID?
    /// As the trail shows it: "Nguyễn Thị Hoa (Cán bộ công đoàn cấp trên, Liên đoàn …)".
    var label: String
    var address: String
    var requestID: String

    static func person(_ user: CurrentUser, _ req: Request) -> Actor {
        Actor(userID: user.id, role: user.role, unitID: user.unitID,
              label: "\(user.displayName) (\(user.role.label), \(user.unitName))", address: req.clientAddress, requestID: req.requestID)
    }

    /// Someone not signed in (a sign-in, a reset link, an invitation).
    static func anonymous(_ req: Request) -> Actor {
        Actor(userID: nil, role: .viewer, unitID: nil, label: "Người chưa đăng nhập", address: req.clientAddress, requestID: req.requestID)
    }

    /// What DVK does by itself (a scheduled reminder run, the mail sender), or a write with
    /// no request or command around it.
    static var system: Actor {
        Actor(userID: nil, role: .admin, unitID: nil, label: "Hệ thống DVK (tự động)", address: "", requestID: "")
    }

    /// The role as the trail stores it: empty for the CLI and the system.
    var roleName: String { userID == nil ? "" : role.rawValue }

    /// The CLI acts as an administrator: whoever runs it holds the server.
    static var cli: Actor {
        // The operating system's account when the environment names it (a service started
        // without one is just "the command line").
        let env = ProcessInfo.processInfo.environment
        let os = [env["USER"], env["LOGNAME"]].compactMap { $0 }.first { !$0.isEmpty }
        return Actor(userID: nil, role: .admin, unitID: nil, label: os.map { "\(Actors.cliLabel) — tài khoản máy chủ \($0)" } ?? Actors.cliLabel,
                     address: "", requestID: "")
    }
}

/// Who a history line names when no person of DVK acted: the server's command line, or
/// the demo's sample data. One place says how each is shown.
enum Actors {
    /// A step taken by `dvk` on the server's command line (an import, a re-sync).
    static let cli = "dvk-cli"
    /// A step of the demo's sample data (`dvk demo`).
    static let demo = "dvk-demo"
    static let cliLabel = "Quản trị hệ thống (dòng lệnh)"

    /// "Họ tên (Đơn vị)": a user as a history names them. A name that already says its unit
    /// ("… (CĐCS Tiểu học Ngọc Lâm)") is not told it twice.
    static func person(_ name: String, of unit: String) -> String {
        name.contains("(") ? name : "\(name) (\(unit))"
    }

    /// The name a history shows for `actor`: `person` (`person(_:of:)`) when it is a user DVK
    /// knows, else what a script or the demo is called, else the name as recorded.
    static func label(_ actor: String, person: String?) -> String {
        if let person { return person }
        switch actor {
        case cli, "cli": return cliLabel
        case demo, "demo": return "Dữ liệu mẫu (lệnh dvk demo)"
        default: return actor
        }
    }
}

extension Request {
    /// The request's id, as the log and `X-Request-Id` carry it.
    var requestID: String {
        if case .string(let id)? = logger[metadataKey: "request-id"] { return id }
        return ""
    }
}

/// The trail of what people and commands did: one append-only event per change, written in
/// the transaction of the change itself by the store that makes it (a refused or rolled
/// back change writes nothing), and never updated or deleted by DVK.
///
/// Each event is sealed into a chain: its `hash` is SHA-256 over its own fields and the
/// previous event's hash (`AuditSeal`). A chain is one unit's events (a unit's writes are
/// already ordered by its locks, so the deadline rush is not one global queue), plus one
/// chain, "system", for events of no unit. `audit_chains` holds each chain's head (last
/// sequence number and hash): taking it is the first statement of an append, so the events
/// of one chain are numbered in the order their transactions commit.
enum AuditTrail {
    /// One change to record.
    struct Entry: Sendable {
        var action: String
        var kind: AuditObjectKind
        var objectID: String
        /// The object's name when it changed ("Tủ sách pháp luật", "LB-GD-THNL Trường …").
        var label: String
        var unitID: UUID?
        var campaignID: UUID?
        var changes: [AuditChange] = []
        var details: [String: String] = [:]
        /// `AuditTrail.words` of this entry's label, changes and details when its writer made
        /// them before its transaction (`RegistrationStore.save`, a new model); nil, made as
        /// it is sealed, inside the transaction, which on SQLite holds the one writer.
        var words: String?

        init(_ action: String, _ kind: AuditObjectKind, id objectID: String, label: String, unit unitID: UUID?, campaign campaignID: UUID? = nil,
             changes: [AuditChange] = [], details: [String: String] = [:]) {
            self.action = action
            self.kind = kind
            self.objectID = objectID
            self.label = label
            self.unitID = unitID
            self.campaignID = campaignID
            self.changes = changes
            self.details = details
        }

        /// An entry's label and changes known before its transaction, their words folded then.
        struct Foreseen: Sendable {
            let label: String
            let changes: [AuditChange]
            let words: String

            /// The words folded before, for an entry with this very label and these very
            /// changes and no details; nil for any other (then made as it is sealed).
            func words(for entry: Entry) -> String? {
                entry.details.isEmpty && entry.label == label && entry.changes == changes ? words : nil
            }
        }

        static func foreseen(label: String, changes: [AuditChange]) -> Foreseen {
            Foreseen(label: label, changes: changes, words: AuditTrail.words(label, changes, [:]))
        }

        init(_ action: String, _ kind: AuditObjectKind, id: UUID, label: String, unit unitID: UUID?, campaign campaignID: UUID? = nil,
             changes: [AuditChange] = [], details: [String: String] = [:]) {
            self.init(action, kind, id: id.canonicalText, label: label, unit: unitID, campaign: campaignID, changes: changes, details: details)
        }
    }

    /// One stored event.
    struct Event: Sendable, Equatable {
        var id: UUID = UUID.random()
        var chain: String = ""
        var seq: Int64 = 0
        var at: Date
        var actorID: UUID? = nil
        var actor: String
        var actorRole: String = ""
        var address: String
        var requestID: String
        var kind: String = ""
        var objectID: String = ""
        var objectLabel: String = ""
        var unitID: UUID? = nil
        var campaignID: UUID? = nil
        var action: String
        var details: [String: String]
        var changes: [AuditChange] = []
        var prevHash: String = ""
        var hash: String = ""

        /// The action in a clerk's words.
        var label: String { AuditTrail.label(action) }

        /// The whole event as one sentence (the history sections, the export).
        var sentence: String {
            var text = AuditWording.sentence(actor: actor, action: label, object: objectLabel, at: at, changes: changes)
            if !details.isEmpty {
                text += " (" + details.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ") + ")"
            }
            return text
        }
    }

    static func label(_ action: String) -> String { labels[action] ?? action }

    static let labels: [String: String] = [
        "account.created": "Tạo tài khoản (đặt mật khẩu từ dòng lệnh)",
        "account.invited": "Tạo tài khoản và gửi lời mời",
        "account.invitation_resent": "Gửi lại lời mời (liên kết cũ hết hiệu lực)",
        "account.invitation_revoked": "Thu hồi lời mời",
        "account.invitation_accepted": "Nhận lời mời, đặt mật khẩu",
        "account.reset_requested": "Yêu cầu đặt lại mật khẩu (Quên mật khẩu)",
        "account.reset_issued": "Cấp liên kết đặt lại mật khẩu",
        "account.password_reset": "Đặt lại mật khẩu bằng liên kết",
        "account.password_changed": "Đổi mật khẩu",
        "account.disabled": "Khóa tài khoản",
        "account.enabled": "Mở khóa tài khoản",
        "account.changed": "Sửa thông tin tài khoản",
        "account.two_factor_enabled": "Bật xác thực hai lớp",
        "account.two_factor_reset": "Đặt lại xác thực hai lớp",
        "account.recovery_code_used": "Đăng nhập bằng mã khôi phục",
        "token.created": "Tạo mã truy cập API",
        "token.revoked": "Thu hồi mã truy cập API",
        "unit.created": "Thêm đơn vị",
        "unit.changed": "Sửa thông tin đơn vị",
        "unit.moved": "Chuyển đơn vị sang đơn vị cấp trên khác",
        "unit.imported": "Thêm đơn vị từ tệp",
        "unit.dissolved": "Giải thể đơn vị",
        "unit.merged": "Sáp nhập đơn vị",
        "campaign.created": "Tạo đợt thi đua",
        "campaign.changed": "Sửa đợt thi đua",
        "campaign.state": "Đổi trạng thái đợt thi đua",
        "campaign.synced": "Cập nhật cây đơn vị của đợt",
        "campaign.report_notes": "Sửa phần viết tay của báo cáo",
        "initiative.created": "Thêm mô hình",
        "initiative.changed": "Sửa mô hình",
        "initiative.deleted": "Xóa mô hình",
        "initiative.imported": "Thêm mô hình từ tệp",
        "import.initiatives": "Nhập danh sách mô hình từ tệp",
        "import.units": "Nhập danh sách đơn vị từ tệp",
        "import.accounts": "Nhập danh sách tài khoản từ tệp",
        "submission.submit": "Nộp hồ sơ đăng ký",
        "submission.declare": "Báo không đăng ký mô hình",
        "submission.accept": "Duyệt hồ sơ",
        "submission.return": "Trả lại hồ sơ",
        "submission.reopen": "Mở lại hồ sơ để sửa",
        "submission.import": "Nhập hồ sơ từ tệp",
        "submission.extend": "Gia hạn nộp hồ sơ",
        "submission.join": "Đơn vị tham gia đợt",
        "model.report": "Báo cáo tiến độ",
        "model.caption": "Sửa chú thích ảnh",
        "model.verify": "Kiểm tra, xác minh",
        "model.recognise": "Công nhận mô hình",
        "model.recognition_withdrawn": "Thu hồi công nhận",
        "model.nominate": "Đề nghị cấp trên",
        "model.nomination_withdrawn": "Rút đề nghị",
        "model.commend": "Khen thưởng",
        "model.commendation_withdrawn": "Thu hồi khen thưởng",
        "model.published": "Công bố lên thư viện",
        "model.unpublished": "Gỡ khỏi thư viện",
        "mail.resent": "Gửi lại thư",
        "mail.reminder_run": "Gửi nhắc nộp hồ sơ",
        "backup.made": "Sao lưu dữ liệu",
        "backup.restored": "Phục hồi dữ liệu từ bản sao lưu",
        "server.trail_off": "Khởi động máy chủ không ghi nhật ký (chỉ để đo hiệu năng)",
    ]

    /// Whether this process records the trail: always, except a server started by
    /// `scripts/rush --trail-cost` with `DVK_BENCH_WITHOUT_AUDIT_TRAIL=1` (`switchOff`).
    static let writing = Atomic<Bool>(true)

    /// Whether this process records the trail now.
    static var isWriting: Bool { writing.load(ordering: .relaxed) }

    /// Stops this process's trail, after one event that says so (with who started the
    /// server, from its environment): the trail shows when it was not written.
    static func switchOff(at now: Date, on db: any Database, logger: Logger) async throws {
        try await db.write { db in
            try await record([Entry("server.trail_off", .server, id: "trail", label: "Nhật ký thay đổi", unit: nil,
                                    details: ["Cấu hình": "DVK_BENCH_WITHOUT_AUDIT_TRAIL=1"])], by: .cli, at: now, on: db)
        }
        writing.store(false, ordering: .sequentiallyConsistent)
        logger.warning("DVK_BENCH_WITHOUT_AUDIT_TRAIL=1: this server records no audit trail (a benchmark only); the trail says so")
    }

    /// Records one event (the accounts' calls).
    static func record(_ action: String, kind: String = "account", id: UUID, unitID: UUID?, details: [String: String] = [:],
                       by actor: Actor, at now: Date, on db: any Database) async throws {
        try await record([Entry(action, AuditObjectKind(rawValue: kind) ?? .account, id: id, label: "", unit: unitID, details: details)],
                         by: actor, at: now, on: db)
    }

    /// Appends `entries` in the caller's transaction, by the task's actor when none is
    /// named. Per chain (in a fixed order, so that two writers never wait on each other's
    /// heads): one statement takes the head and reserves the numbers (on SQLite, reads it;
    /// none when the transaction holds it, `holding:`), one inserts the events, one moves
    /// the head (on PostgreSQL one event and its head's move are one statement, `Append`).
    static func record(_ entries: [Entry], by actor: Actor? = nil, at now: Date, on db: any Database) async throws {
        var held: Head?
        try await record(entries, by: actor, at: now, sql: try db.sql(), holding: &held)
    }

    /// As `record(_:by:at:on:)`, in a transaction that already holds a chain's head
    /// (`SubmissionLock.take`, PostgreSQL): its events start there, with no statement to
    /// take it, and `held` moves to their end.
    /// `joining`: a write that goes in the statement appending the one event, when there is
    /// one on PostgreSQL, and is run alone before the events otherwise.
    static func record(_ entries: [Entry], by actor: Actor? = nil, at now: Date, on db: any Database, holding held: inout Head?,
                       joining: Joined? = nil) async throws {
        try await record(entries, by: actor, at: now, sql: try db.sql(), holding: &held, joining: joining)
    }

    /// A write that can share the statement appending a step's one event (PostgreSQL, where
    /// a statement is a round trip): a new initiative.
    struct Joined: Sendable {
        /// The write alone.
        var alone: @Sendable (any SQLDatabase) async throws -> Void
        /// The write and the sealed event's append (its values in `columns`' order) in one
        /// statement (`appendSQL(after:with:)`).
        var appending: @Sendable ([(any HotValue)?], any SQLDatabase) async throws -> Void
    }

    static func record(_ entries: [Entry], by actor: Actor? = nil, at now: Date, sql: any SQLDatabase) async throws {
        var held: Head?
        try await record(entries, by: actor, at: now, sql: sql, holding: &held)
    }

    /// A chain's head as a transaction holds it: its last number and hash.
    struct Head: Sendable, Equatable {
        var chain: String
        var seq: Int64
        var hash: String
    }

    static func record(_ entries: [Entry], by actor: Actor? = nil, at now: Date, sql: any SQLDatabase, holding held: inout Head?,
                       joining: Joined? = nil) async throws {
        guard !entries.isEmpty, isWriting else {
            try await joining?.alone(sql)
            return
        }
        let actor = actor ?? Actor.current ?? .system
        let at = AuditSeal.rounded(now)
        let byChain = Dictionary(grouping: entries) { $0.unitID?.canonicalText ?? AuditSeal.systemChain }
        let chains = byChain.keys.sorted()
        // 1. The heads, numbers reserved (see `take`), unless the transaction holds the one chain.
        let starts: [String: Position]
        if let head = held, chains == [head.chain] {
            // Taken with the transaction's first statement: numbered on from it, as if reserved.
            starts = [head.chain: Position(seq: head.seq, hash: head.hash)]
        } else {
            starts = try await take(chains, counts: byChain.mapValues(\.count), sql: sql)
        }
        // 2. The events, sealed chain by chain.
        let sealed = try seal(byChain, chains: chains, from: starts, actor: actor, at: at)
        if let end = sealed.ends.first(where: { $0.chain == held?.chain }) { held = end }
        // 3. The heads moved to their last events: with the event, for one (on PostgreSQL).
        if sealed.rows.count == 1, sealed.ends.count == 1, sql.dialect.name == "postgresql" {
            if let joining {
                try await joining.appending(sealed.rows[0], sql)
            } else {
                _ = try await Append(binds: sealed.rows[0]).all(on: sql)
            }
            return
        }
        try await joining?.alone(sql)
        try await insert(sealed.rows, sql: sql)
        try await move(sealed.ends, sql: sql)
    }

    /// A long append made a chunk at a time, with the rows it records: an import's new
    /// initiatives and an event for each. The heads of every chain it touches are taken once,
    /// `counts` numbers reserved (each chain's events in all). Chunk `i` is made and sealed
    /// on another core (`make(i)`: its rows and its entries) while the writer stores the
    /// chunk before it: its rows (`store`), then its events (`HeavyWork.pipelined`). The
    /// heads move once, at the end. A chain's events keep their order across chunks, and a
    /// chain's count must be its events' (else the transaction fails: nothing is kept).
    static func record<Rows: Sendable>(chunks: Int, counts: [String: Int], by actor: Actor? = nil, at now: Date, sql: any SQLDatabase,
                                       make: @escaping @Sendable (Int) throws -> (rows: Rows, entries: [Entry]),
                                       store: (Rows) async throws -> Void) async throws {
        guard isWriting, !counts.isEmpty else {
            try await HeavyWork.pipelined(chunks, make: { try make($0).rows }, use: store)
            return
        }
        let actor = actor ?? Actor.current ?? .system
        let at = AuditSeal.rounded(now)
        let starts = try await take(counts.keys.sorted(), counts: counts, sql: sql)
        let ends = try await HeavyWork.pipelined(chunks, from: starts, make: { index, positions in
            let (rows, entries) = try make(index)
            let byChain = Dictionary(grouping: entries) { $0.unitID?.canonicalText ?? AuditSeal.systemChain }
            let sealed = try seal(byChain, chains: byChain.keys.sorted(), from: positions, actor: actor, at: at)
            var after = positions
            for end in sealed.ends { after[end.chain] = Position(seq: end.seq, hash: end.hash) }
            let events = try BulkInsert.prepare(sql, into: "audit_events", columns: columns, rows: sealed.rows.map { $0.map(\.encodable) })
            return ((rows, events), after)
        }, use: { chunk in
            try await store(chunk.0)
            try await BulkInsert.run(sql, chunk.1)
        })
        for (chain, count) in counts where ends[chain]?.seq != (starts[chain]?.seq ?? 0) + Int64(count) {
            throw AuditStreamError(chain: chain, expected: count, sealed: (ends[chain]?.seq ?? 0) - (starts[chain]?.seq ?? 0))
        }
        try await move(counts.keys.sorted().compactMap { chain in ends[chain].map { Head(chain: chain, seq: $0.seq, hash: $0.hash) } }, sql: sql)
    }

    /// A chain's last number and hash.
    struct Position: Sendable, Equatable {
        var seq: Int64
        var hash: String
    }

    /// A chunked append whose chunks did not hold the events counted for a chain.
    struct AuditStreamError: Error, CustomStringConvertible {
        var chain: String
        var expected: Int
        var sealed: Int64
        var description: String { "audit chain \(chain): \(expected) events counted, \(sealed) sealed" }
    }

    /// Takes the heads of `chains` (sorted: two writers never wait on each other's heads),
    /// `counts[chain]` numbers reserved for each, one statement per thousand chains (an
    /// import of 3,000 units is 3,000 chains). On PostgreSQL the reservation locks each head
    /// until the transaction ends. SQLite's writer holds the whole file from its BEGIN
    /// IMMEDIATE, so in its transactions they are only read. Returns where each chain stood
    /// before its new events.
    private static func take(_ chains: [String], counts: [String: Int], sql: any SQLDatabase) async throws -> [String: Position] {
        var starts: [String: Position] = [:]
        let sqlite = (sql as? SyncSQLiteDatabase)?.inTransaction == true
        for chunk in chains.chunked(1_000) {
            let rows: [any SQLRow]
            if !sqlite, chunk.count == 1 {
                // One unit's write, the common case: a statement PostgreSQL keeps prepared.
                rows = try await TakeHead(binds: [chunk[0], Int64(counts[chunk[0]] ?? 0)]).all(on: sql)
            } else if sqlite {
                rows = try await sql.raw("SELECT chain, seq, hash FROM audit_chains WHERE chain IN \(SQLGroupExpression(chunk.map { SQLBind($0) }))").all()
            } else {
                let values = chunk.map { chain in
                    SQLGroupExpression([SQLBind(chain), SQLBind(Int64(counts[chain] ?? 0)), SQLLiteral.string("")] as [any SQLExpression])
                }
                rows = try await sql.raw("INSERT INTO audit_chains (chain, seq, hash) VALUES \(SQLList(values)) \(unsafeRaw: reserving)").all()
            }
            for row in rows {
                let chain = try row.decode(column: "chain", as: String.self)
                let seq = try row.decode(column: "seq", as: Int64.self)
                // PostgreSQL answers with the head after the reservation.
                starts[chain] = Position(seq: sqlite ? seq : seq - Int64(counts[chain] ?? 0), hash: try row.decode(column: "hash", as: String.self))
            }
            for chain in chunk where starts[chain] == nil {
                guard sqlite else { throw StoreError.noSQL }
                starts[chain] = Position(seq: 0, hash: "")
            }
        }
        return starts
    }

    /// One entry sealed after its chain's head as the caller read it, not held: its row in
    /// `columns`' order. The write that appends it must find the head still there
    /// (`RegistrationStore.SaveAtOnce`), or keep nothing. Nil when the head is another chain's.
    static func sealed(_ entry: Entry, after head: Head, at now: Date) throws -> [(any HotValue)?]? {
        let chain = entry.unitID?.canonicalText ?? AuditSeal.systemChain
        guard chain == head.chain else { return nil }
        return try seal([chain: [entry]], chains: [chain], from: [chain: Position(seq: head.seq, hash: head.hash)],
                        actor: Actor.current ?? .system, at: AuditSeal.rounded(now)).rows[0]
    }

    /// Seals `byChain`'s events, each chain's in order from where it stood (`starts`): the
    /// chains of a big append (an import) on all the cores. Returns the rows to insert, in
    /// the order of `chains`, and each chain's new head.
    private static func seal(_ byChain: [String: [Entry]], chains: [String], from starts: [String: Position],
                             actor: Actor, at: Date) throws -> (rows: [[(any HotValue)?]], ends: [Head]) {
        let begins = try chains.map { chain in
            guard let start = starts[chain] else { throw StoreError.noSQL }
            return (chain: chain, start: start)
        }
        let count = byChain.values.reduce(0) { $0 + $1.count }
        let prefixes = Dictionary(uniqueKeysWithValues: Set(byChain.values.flatMap { $0.map(\.action) }).map { ($0, prefix(actor, $0)) })
        let sealed = Parallel.map(begins.count, perWorker: count >= 1_000 ? 1 : Int.max) { range in
            range.map { index -> (rows: [[(any HotValue)?]], end: Head) in
                let (chain, start) = begins[index]
                var seq = start.seq
                var prev = start.hash
                let batch = byChain[chain] ?? []
                var rows: [[(any HotValue)?]] = []
                rows.reserveCapacity(batch.count)
                for entry in batch {
                    seq += 1
                    var event = Event(id: AuditSeal.timeOrderedID(at), chain: chain, seq: seq, at: at, actorID: actor.userID, actor: actor.label, actorRole: actor.roleName,
                                      address: actor.address, requestID: actor.requestID, kind: entry.kind.rawValue, objectID: entry.objectID,
                                      objectLabel: entry.label, unitID: entry.unitID, campaignID: entry.campaignID, action: entry.action,
                                      details: entry.details, changes: entry.changes, prevHash: prev)
                    let stored = AuditSeal.Stored(event)
                    event.hash = AuditSeal.hash(stored)
                    prev = event.hash
                    let key = (prefixes[entry.action] ?? "") + " " + (entry.words ?? words(event.objectLabel, event.changes, event.details))
                    rows.append([event.id, at, event.actorID, event.actor, event.actorRole, actor.unitID, event.address, event.requestID,
                                 event.kind, event.objectID, event.objectLabel, event.unitID, event.campaignID, event.action,
                                 stored.details, stored.changes, key, chain, seq, event.prevHash, event.hash])
                }
                return (rows, Head(chain: chain, seq: seq, hash: prev))
            }
        }
        return (sealed.flatMap { $0.rows }, sealed.map { $0.end })
    }

    /// Inserts sealed events: one statement for one, else multi-row inserts.
    private static func insert(_ rows: [[(any HotValue)?]], sql: any SQLDatabase) async throws {
        if rows.count == 1 {
            _ = try await InsertEvent(binds: rows[0]).all(on: sql)
        } else if !rows.isEmpty {
            try await BulkInsert.run(sql, into: "audit_events", columns: columns, rows: rows.map { $0.map(\.encodable) })
        }
    }

    /// Moves the heads to their chains' last events.
    private static func move(_ ends: [Head], sql: any SQLDatabase) async throws {
        if ends.count == 1 {
            _ = try await MoveHead(binds: [ends[0].chain, ends[0].seq, ends[0].hash]).all(on: sql)
            return
        }
        for chunk in ends.chunked(1_000) {
            let values = chunk.map { SQLGroupExpression([SQLBind($0.chain), SQLBind($0.seq), SQLBind($0.hash)] as [any SQLExpression]) }
            try await sql.raw("INSERT INTO audit_chains (chain, seq, hash) VALUES \(SQLList(values)) \(unsafeRaw: moving)").run()
        }
    }

    /// The actor and action in the search's words, folded once per actor and action (a
    /// person's writes all day are one fold), at most 10,000 kept.
    static func prefix(_ actor: Actor, _ action: String) -> String {
        let name = actor.label + "\u{1}" + action
        if let known = prefixes.withLock({ $0[name] }) { return known }
        let key = VietnameseText.searchKey(actor.label + " " + label(action))
        prefixes.withLock { cache in
            if cache.count >= 10_000 { cache.removeAll() }
            cache[name] = key
        }
        return key
    }

    private static let prefixes = Mutex<[String: String]>([:])

    /// How a head takes its chain's new numbers (reserved after the ones it had), and how it
    /// moves to its last event: for one chain and for many.
    static let reserving = "ON CONFLICT (chain) DO UPDATE SET seq = audit_chains.seq + excluded.seq RETURNING chain, seq, hash"
    private static let moving = "ON CONFLICT (chain) DO UPDATE SET seq = excluded.seq, hash = excluded.hash"

    /// One chain's head ($1), $2 numbers reserved (PostgreSQL: the row stays locked).
    struct TakeHead: HotStatement {
        static let sql = "INSERT INTO audit_chains (chain, seq, hash) VALUES ($1, $2, '') " + AuditTrail.reserving
        let binds: [(any HotValue)?]
    }

    /// One event, its values in the order of `columns`.
    struct InsertEvent: HotStatement {
        static let sql = HotText.insert(into: "audit_events", columns: columns)
        let binds: [(any HotValue)?]
    }

    /// One chain's head ($1) moved to its last event ($2, $3).
    struct MoveHead: HotStatement {
        static let sql = "INSERT INTO audit_chains (chain, seq, hash) VALUES ($1, $2, $3) " + AuditTrail.moving
        let binds: [(any HotValue)?]
    }

    /// One event and its chain's head moved to it, in one statement (PostgreSQL; SQLite
    /// runs no data-changing statement in a `WITH`).
    struct Append: HotStatement {
        static let sql = AuditTrail.appendSQL(after: 0)
        let binds: [(any HotValue)?]
    }

    /// `Append`'s text with its values numbered after `n` others, which the statements
    /// `ctes` (`name AS (…)`) bind and run first.
    static func appendSQL(after n: Int, with ctes: [String] = []) -> String {
        func value(_ column: String) -> String { "$\(n + columns.firstIndex(of: column)! + 1)" }
        let event = "event AS (\(HotText.insert(into: "audit_events", columns: columns, from: n + 1)))"
        return "WITH \((ctes + [event]).joined(separator: ", ")) INSERT INTO audit_chains (chain, seq, hash) VALUES (\(value("chain")), \(value("seq")), \(value("hash"))) "
            + AuditTrail.moving
    }

    static let columns = ["id", "at", "actor_id", "actor", "actor_role", "actor_unit_id", "address", "request_id", "object_kind", "object_id",
                          "object_label", "unit_id", "campaign_id", "action", "details", "changes", "search_key", "chain", "seq", "prev_hash", "hash"]

    /// What the audit page's search looks in, without diacritics: who, what, on what, and
    /// the values (long ones cut, the search is for finding, not reading).
    /// A value's words once: its new value, or the old one when it was removed (the one
    /// before is the new value of an earlier event).
    static func search(_ event: Event, prefix: String? = nil) -> String {
        let head = prefix ?? VietnameseText.searchKey(event.actor + " " + event.label)
        return head + " " + words(event.objectLabel, event.changes, event.details)
    }

    /// `search`'s part after the actor and action: the object's label and the values, folded.
    static func words(_ label: String, _ changes: [AuditChange], _ details: [String: String]) -> String {
        var parts = [label]
        for change in changes { parts.append(String((change.new.isEmpty ? change.old : change.new).prefix(100))) }
        parts += details.values.map { String($0.prefix(100)) }
        return VietnameseText.searchKey(parts.joined(separator: " "))
    }

    /// The columns an event is read from.
    static let readColumns = "id, chain, seq, at, actor_id, actor, actor_role, address, request_id, object_kind, object_id, object_label, unit_id, campaign_id, action, details, changes, prev_hash, hash"

    /// One decoder for every event read (making one per value was most of reading a short one).
    private static let decoder = JSONDecoder()

    static func event(_ row: any SQLRow) throws -> Event {
        func text(_ c: String) throws -> String { try row.decodeNil(column: c) ? "" : try row.decode(column: c, as: String.self) }
        func uuid(_ c: String) throws -> UUID? { try row.decodeNil(column: c) ? nil : try row.decode(column: c, as: UUID.self) }
        let details = try text("details"), changes = try text("changes")
        return Event(id: try row.decode(column: "id", as: UUID.self), chain: try text("chain"), seq: try row.decode(column: "seq", as: Int64.self),
                     at: try row.decode(column: "at", as: Date.self), actorID: try uuid("actor_id"), actor: try text("actor"),
                     actorRole: try text("actor_role"), address: try text("address"), requestID: try text("request_id"),
                     kind: try text("object_kind"), objectID: try text("object_id"), objectLabel: try text("object_label"),
                     unitID: try uuid("unit_id"), campaignID: try uuid("campaign_id"), action: try text("action"),
                     details: details.isEmpty ? [:] : AuditJSON.readDetails(details)
                        ?? (try? decoder.decode([String: String].self, from: Data(details.utf8))) ?? [:],
                     changes: changes.isEmpty ? [] : AuditJSON.readChanges(changes)
                        ?? (try? decoder.decode([AuditChange].self, from: Data(changes.utf8))) ?? [],
                     prevHash: try text("prev_hash"), hash: try text("hash"))
    }

    /// An object's events, newest first.
    static func events(kind: String = "account", id: UUID, limit: Int = 200, on db: any Database) async throws -> [Event] {
        try await events(kind: kind, objectID: id.canonicalText, limit: limit, on: db)
    }

    static func events(kind: String, objectID: String, limit: Int = 200, on db: any Database) async throws -> [Event] {
        try await AuditQuery.history(kinds: [AuditObjectKind(rawValue: kind) ?? .account], objectID: objectID, limit: limit, on: db)
    }

    /// The most events an export holds, newest first (the file says when it stops there).
    static let exportLimit = 100_000

    /// The events of the accounts `ids` (every account when nil), newest first, at most
    /// `limit`, each with the account's id.
    static func events(ofAccounts ids: Set<UUID>?, limit: Int = exportLimit, on db: any Database) async throws -> [(object: UUID, event: Event)] {
        let sql = try db.sql()
        let columns = "SELECT \(readColumns) FROM audit_events WHERE object_kind = 'account'"
        var out: [Event] = []
        if let ids {
            // In slices, so that no statement carries more values than a database takes.
            let all = ids.map(\.canonicalText).sorted()
            for start in stride(from: 0, to: all.count, by: 500) {
                let slice = all[start..<min(all.count, start + 500)]
                out += try await sql.raw("""
                    \(unsafeRaw: columns) AND object_id IN (\(SQLList(slice.map { SQLBind($0) }))) ORDER BY at DESC LIMIT \(unsafeRaw: String(limit))
                    """).all().map(event)
            }
            out.sort { $0.at > $1.at }
            out = Array(out.prefix(limit))
        } else {
            out = try await sql.raw("\(unsafeRaw: columns) ORDER BY at DESC LIMIT \(unsafeRaw: String(limit))").all().map(event)
        }
        return out.map { (UUID(uuidString: $0.objectID) ?? UUID.random(), $0) }
    }
}
