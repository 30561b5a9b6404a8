import Crypto
import DVKCore
import FluentKit
import Foundation
import SQLKit

/// The seal of the trail: how an event's hash is made from its stored fields and the hash
/// before it, and the walk that checks every chain (`dvk audit verify`, a restore).
///
/// A hash proves the order and content of a chain to anyone who kept a later hash: editing,
/// deleting or inserting a row without rewriting every hash after it is named by the walk.
/// Someone who rewrites a whole chain's tail with the database alone is caught only by an
/// outside copy of the heads, which is why `dvk audit verify` prints one digest over all
/// of them (`root`), to be written down with each backup.
enum AuditSeal {
    /// The chain of events that belong to no unit (an administrator's account, a backup).
    static let systemChain = "system"

    /// Instants are sealed to the millisecond, which both databases keep exactly.
    static func rounded(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
    }

    /// An event's id: a UUID of version 7, its first 48 bits the instant in milliseconds and
    /// the rest random, so that the primary key's index grows at its end instead of taking a
    /// random page on every write.
    static func timeOrderedID(_ at: Date) -> UUID {
        let ms = UInt64(max(0, millis(at)))
        // The random part in one draw (a draw is a system call; one per byte was ten).
        var id = UUID.randomBytes()
        withUnsafeMutableBytes(of: &id) { bytes in
            for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: ms >> (40 - 8 * UInt64(i))) }
            bytes[6] = 0x70 | (bytes[6] & 0x0F)
            bytes[8] = 0x80 | (bytes[8] & 0x3F)
        }
        return UUID(uuid: id)
    }

    static func millis(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// An event's fields as they are stored: the JSON of its details and changes is sealed
    /// as written, so a reader never has to re-encode it the same way.
    struct Stored: Sendable {
        var event: AuditTrail.Event
        var details: String
        var changes: String

        init(_ event: AuditTrail.Event) {
            self.event = event
            details = AuditJSON.details(event.details)
            changes = AuditJSON.changes(event.changes)
        }

        init(event: AuditTrail.Event, details: String, changes: String) {
            self.event = event
            self.details = details
            self.changes = changes
        }
    }

    /// SHA-256, in hex, over the previous hash and every field, each written as its length
    /// in bytes, a colon and the bytes, so that no two events read the same.
    static func hash(_ s: Stored) -> String {
        let e = s.event
        let fields = [
            e.prevHash, e.chain, String(e.seq), e.id.canonicalText, String(millis(e.at)), e.actorID?.canonicalText ?? "", e.actor, e.actorRole,
            e.address, e.requestID, e.kind, e.objectID, e.objectLabel, e.unitID?.canonicalText ?? "", e.campaignID?.canonicalText ?? "",
            e.action, s.details, s.changes,
        ]
        var bytes: [UInt8] = []
        bytes.reserveCapacity(fields.reduce(64) { $0 + $1.utf8.count + 8 })
        for field in fields {
            bytes += String(field.utf8.count).utf8
            bytes.append(UInt8(ascii: ":"))
            bytes += field.utf8
        }
        return hex(SHA256.hash(data: bytes))
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in digest { out += [digits[Int(byte >> 4)], digits[Int(byte & 15)]] }
        return String(decoding: out, as: UTF8.self)
    }

    /// Seals the events written before the trail had chains (chain empty), oldest first,
    /// after whatever each chain already holds: the migration that brought chains, and a
    /// restore of a backup made before it.
    static func sealUnsealed(on db: any Database) async throws {
        let sql = try db.sql()
        var heads: [String: (seq: Int64, hash: String)] = [:]
        for row in try await sql.raw("SELECT chain, seq, hash FROM audit_chains").all() {
            heads[try row.decode(column: "chain", as: String.self)] = (try row.decode(column: "seq", as: Int64.self), try row.decode(column: "hash", as: String.self))
        }
        let known = Set(heads.keys)
        let rows = try await sql.raw("SELECT \(unsafeRaw: AuditTrail.readColumns) FROM audit_events WHERE chain = '' ORDER BY at, id").all()
        for row in rows {
            var event = try AuditTrail.event(row)
            let chain = event.unitID?.canonicalText ?? systemChain
            let head = heads[chain] ?? (0, "")
            event.chain = chain
            event.seq = head.seq + 1
            event.prevHash = head.hash
            event.at = rounded(event.at)
            let details = try row.decodeNil(column: "details") ? "" : try row.decode(column: "details", as: String.self)
            let changes = try row.decodeNil(column: "changes") ? "" : try row.decode(column: "changes", as: String.self)
            event.hash = hash(Stored(event: event, details: details, changes: changes))
            heads[chain] = (event.seq, event.hash)
            try await sql.raw("""
                UPDATE audit_events SET chain = \(bind: chain), seq = \(bind: event.seq), prev_hash = \(bind: event.prevHash), hash = \(bind: event.hash),
                  at = \(bind: event.at), search_key = \(bind: AuditTrail.search(event)) WHERE id = \(bind: event.id)
                """).run()
        }
        for (chain, head) in heads {
            if known.contains(chain) {
                try await sql.raw("UPDATE audit_chains SET seq = \(bind: head.seq), hash = \(bind: head.hash) WHERE chain = \(bind: chain)").run()
            } else {
                try await sql.insert(into: "audit_chains").columns("chain", "seq", "hash").values(SQLBind(chain), SQLBind(head.seq), SQLBind(head.hash)).run()
            }
        }
    }

    /// One thing the walk found wrong.
    struct Problem: Sendable, Equatable, Encodable {
        enum Kind: String, Sendable, Encodable { case changed, removed, inserted, head }
        var kind: Kind
        var chain: String
        var seq: Int64
        var eventID: String
        var message: String
    }

    struct Report: Sendable, Encodable {
        var chains = 0
        var events = 0
        var problems: [Problem] = []
        /// SHA-256 over every chain's name, length and head hash, in order of name.
        var root = ""
    }

    /// Walks every chain in order of its numbers, a page of rows at a time.
    static func verify(on db: any Database, page: Int = 5_000) async throws -> Report {
        let sql = try db.sql()
        var heads: [String: (seq: Int64, hash: String)] = [:]
        for row in try await sql.raw("SELECT chain, seq, hash FROM audit_chains").all() {
            heads[try row.decode(column: "chain", as: String.self)] = (try row.decode(column: "seq", as: Int64.self), try row.decode(column: "hash", as: String.self))
        }
        var report = Report()
        var seen: Set<String> = []
        var current = ""
        var expected: Int64 = 1
        var prev = ""
        func close(_ chain: String) {
            let last = expected - 1
            guard let head = heads[chain] else {
                report.problems.append(Problem(kind: .inserted, chain: chain, seq: last, eventID: "",
                                               message: "chain \"\(chain)\" has events but no head in audit_chains: its events were inserted"))
                return
            }
            if head.seq > last {
                report.problems.append(Problem(kind: .removed, chain: chain, seq: last + 1, eventID: "",
                                               message: "chain \"\(chain)\": events \(last + 1)…\(head.seq) were removed from its end"))
            } else if head.hash != prev {
                report.problems.append(Problem(kind: .head, chain: chain, seq: last, eventID: "",
                                               message: "chain \"\(chain)\": its head's hash does not match its last event"))
            }
        }
        var after: (chain: String, seq: Int64)? = nil
        while true {
            let condition: SQLQueryString = after.map { "WHERE chain > \(bind: $0.chain) OR (chain = \(bind: $0.chain) AND seq > \(bind: $0.seq))" } ?? ""
            let rows = try await sql.raw("""
                SELECT \(unsafeRaw: AuditTrail.readColumns) FROM audit_events \(condition)
                ORDER BY chain, seq LIMIT \(unsafeRaw: String(page))
                """).all()
            if rows.isEmpty { break }
            for row in rows {
                let event = try AuditTrail.event(row)
                let stored = Stored(event: event, details: try row.decodeNil(column: "details") ? "" : try row.decode(column: "details", as: String.self),
                                    changes: try row.decodeNil(column: "changes") ? "" : try row.decode(column: "changes", as: String.self))
                if event.chain != current || report.events == 0 {
                    if report.events > 0 { close(current) }
                    current = event.chain
                    seen.insert(current)
                    expected = 1
                    prev = ""
                }
                report.events += 1
                let id = event.id.canonicalText
                if let head = heads[event.chain], event.seq > head.seq {
                    report.problems.append(Problem(kind: .inserted, chain: event.chain, seq: event.seq, eventID: id,
                                                   message: "event \(id) (chain \"\(event.chain)\", #\(event.seq)) lies beyond the chain's head: it was inserted"))
                } else if event.seq > expected {
                    report.problems.append(Problem(kind: .removed, chain: event.chain, seq: expected, eventID: id,
                                                   message: "chain \"\(event.chain)\": events \(expected)…\(event.seq - 1) before event \(id) were removed"))
                }
                if AuditSeal.hash(stored) != event.hash {
                    report.problems.append(Problem(kind: .changed, chain: event.chain, seq: event.seq, eventID: id,
                                                   message: "event \(id) (chain \"\(event.chain)\", #\(event.seq)) was changed: its fields do not give its hash"))
                } else if event.prevHash != prev, event.seq == expected {
                    report.problems.append(Problem(kind: .inserted, chain: event.chain, seq: event.seq, eventID: id,
                                                   message: "event \(id) (chain \"\(event.chain)\", #\(event.seq)) does not follow the event before it: one of the two was inserted or replaced"))
                }
                prev = event.hash
                expected = event.seq + 1
                after = (event.chain, event.seq)
            }
        }
        if report.events > 0 { close(current) }
        for (chain, head) in heads where !seen.contains(chain) && head.seq > 0 {
            report.problems.append(Problem(kind: .removed, chain: chain, seq: 1, eventID: "",
                                           message: "chain \"\(chain)\": all its \(head.seq) events were removed"))
        }
        report.chains = Set(heads.keys).union(seen).count
        var root = SHA256()
        for chain in heads.keys.sorted() {
            let head = heads[chain]!
            root.update(data: Data("\(chain.utf8.count):\(chain)\(head.seq):\(head.hash.utf8.count):\(head.hash)".utf8))
        }
        report.root = hex(root.finalize())
        return report
    }
}

extension AuditTrail {
    /// The event of a whole import: the SHA-256 of the table's cells as read (the same
    /// file read from CSV or XLSX gives the same hash) and its row count.
    static func importEntry(_ action: String, _ table: CSVTable, made: Int, unit: UUID?, campaign: UUID? = nil, label: String) -> Entry {
        // Each cell as its UTF-8 length, ":" and its bytes; each record ends in "\n". Hashed
        // in place: a 60,000-row file has half a million cells.
        var hasher = SHA256()
        func add(_ record: [String]) {
            for var cell in record {
                var length = "\(cell.utf8.count):"
                length.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
                cell.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
            }
            withUnsafeBytes(of: UInt8(ascii: "\n")) { hasher.update(bufferPointer: $0) }
        }
        add(table.header)
        for record in table.records { add(record.fields) }
        let hash = AuditSeal.hex(hasher.finalize())
        return Entry(action, .import, id: "sha256:" + hash, label: label, unit: unit, campaign: campaign,
                     details: ["SHA-256 của dữ liệu tệp": hash, "Số dòng": String(table.records.count), "Số bản ghi tạo mới": String(made)])
    }
}
