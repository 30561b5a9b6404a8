import FluentKit
import SQLKit

/// SQLite as a server store: write-ahead logging so readers never wait for the writer.
enum SQLiteTuning {
    static func apply(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("PRAGMA journal_mode=WAL").run()
        try await sql.raw("PRAGMA synchronous=NORMAL").run()
        // The writer connection (which commits every write) sets NORMAL itself: in WAL
        // mode it syncs at checkpoints, so a killed process loses nothing it committed
        // (a power loss can lose the last transactions, never corrupt the file).
    }
}
