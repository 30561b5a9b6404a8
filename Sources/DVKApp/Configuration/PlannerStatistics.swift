import FluentKit
import SQLKit

/// The query planner's statistics, made after a bulk load from the command line (`dvk demo`,
/// `dvk generate`, `dvk import`), as PostgreSQL's documentation advises after loading.
///
/// PostgreSQL analyzes a table itself only once 50 rows and a tenth of it have changed,
/// so a district's first campaign tree (46 rows in the demo) was planned on guesses: the
/// dashboard's lines were read with a scan of the counts for each of its units, and the
/// dashboard took a sixth longer. SQLite has no statistics unless asked, and DVK's
/// statements are written for its planner without them (the tree's order walked first,
/// kept by CROSS JOIN): statistics would move those plans, so it is left as it is.
enum PlannerStatistics {
    static func refresh(on db: any Database) async throws {
        let sql = try db.sql()
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("ANALYZE").run()
    }
}
