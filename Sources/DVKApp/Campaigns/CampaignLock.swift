import DVKCore
import FluentKit
import Foundation
import SQLKit

/// The campaign row as a lock, so that a unit's step is judged against the campaign as it
/// is when the step commits: its deadline, state and policy.
///
/// - A unit's write (`SubmissionLock.write`, an import) reads the campaign with `shared`
///   as the first statement of its transaction; campaign writes (an edit, a state change,
///   a re-sync, a recount) take it with `exclusive` first. On PostgreSQL these are
///   `FOR SHARE` and `FOR UPDATE`: unit writes run side by side, and a campaign write
///   waits for those running and holds back those that follow. On SQLite every write
///   transaction already runs alone (`Database.write`), so the plain read is enough.
/// - The order is always campaign, then submission rows, so the two never wait on each
///   other in a circle.
enum CampaignLock {
    static let missing = DomainError.notFound("Không tìm thấy đợt thi đua.")

    /// The campaign as it is now, held against campaign writes until the transaction ends.
    static func shared(_ id: UUID, on db: any Database) async throws -> CampaignInfo {
        guard let row = try await Shared(binds: [id]).first(on: db) else { throw missing }
        return try CampaignInfo(row: row)
    }

    /// The campaign of an id ($1), held shared: the first statement of every unit's write.
    struct Shared: HotStatement {
        static let sqliteSQL = "SELECT \(CampaignInfo.columns.joined(separator: ", ")) FROM campaigns WHERE id = $1"
        static let sql = sqliteSQL + " FOR SHARE"
        let binds: [(any HotValue)?]
    }

    /// The campaign's model, held alone until the transaction ends: unit writes of the
    /// campaign wait, and see what this one commits.
    static func exclusive(code: String, on db: any Database) async throws -> Campaign {
        let sql = try db.sql()
        let row = try await sql.raw("""
            SELECT id FROM campaigns WHERE code = \(bind: code)\(unsafeRaw: suffix(sql, "FOR UPDATE"))
            """).first()
        guard let id = try row?.decode(column: "id", as: UUID.self), let campaign = try await Campaign.find(id, on: db) else {
            throw DomainError.notFound("Không có đợt thi đua mã “\(code)”.")
        }
        return campaign
    }

    /// As `exclusive(code:)`, by id; nil when there is none.
    static func exclusive(_ id: UUID, on db: any Database) async throws -> Campaign? {
        let sql = try db.sql()
        _ = try await sql.raw("SELECT id FROM campaigns WHERE id = \(bind: id)\(unsafeRaw: suffix(sql, "FOR UPDATE"))").first()
        return try await Campaign.find(id, on: db)
    }

    private static func suffix(_ sql: any SQLDatabase, _ lock: String) -> String {
        sql.dialect.name == "postgresql" ? " " + lock : ""
    }
}
