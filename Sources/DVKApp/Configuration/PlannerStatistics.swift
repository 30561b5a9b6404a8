import Fluent
import SQLKit
import Vapor

/// The query planner's statistics, made after a bulk write (from the command line: `dvk demo`,
/// `dvk generate`, `dvk import units|initiatives`, `dvk campaign create|sync`; from the web:
/// a campaign made, opened or synced with the live tree, units imported), as PostgreSQL's
/// documentation advises after loading.
///
/// PostgreSQL analyzes a table itself only once 50 rows and a tenth of it have changed, so a
/// district's campaign tree of 46 units was planned on guesses: the dashboard's lines read
/// the counts once for each of its units, and the dashboard took a sixth longer. An
/// initiative saved or a unit's spreadsheet uploaded is a handful of rows: PostgreSQL's own
/// analysis follows those.
///
/// SQLite has no statistics unless asked, and DVK's statements are written for its planner
/// without them (the tree's order walked first, kept by CROSS JOIN): statistics would move
/// those plans, so it is left as it is.
enum PlannerStatistics {
    /// The tables pages and writes plan on; not the audit trail, whose sample would cost the
    /// most and whose statements go by their indexes alone.
    static let tables = [Unit.schema, CampaignUnit.schema, Submission.schema, Initiative.schema, Registrant.schema,
                         "summary_counts", "standing_counts", "rollup_counts"]

    static func refresh(on db: any Database) async throws {
        let sql = try db.sql()
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("ANALYZE \(unsafeRaw: tables.joined(separator: ", "))").run()
    }

    /// After a command's work is saved and reported: a refused or cancelled ANALYZE leaves
    /// the statistics as they were, so it is said, and the command still succeeds.
    static func refresh(after context: CommandContext) async {
        do {
            try await refresh(on: context.application.db)
        } catch {
            context.console.warning("the planner's statistics were not refreshed (ANALYZE: \(String(reflecting: error)))")
        }
    }

    /// After a page's bulk write is committed, before its answer: a failed ANALYZE is logged,
    /// and the answer is the same.
    static func refresh(after req: Request) async {
        do {
            try await refresh(on: req.database)
        } catch {
            req.logger.warning("the planner's statistics were not refreshed (ANALYZE: \(String(reflecting: error)))")
        }
    }
}
