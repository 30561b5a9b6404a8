import FluentKit
import Foundation
import SQLKit

/// `dvk_expect(ok)`, on PostgreSQL: true when `ok` is, else an error (SQLSTATE `DVK01`)
/// that rolls the whole statement back. A write made in one statement on what it read
/// before (`RegistrationStore.SaveAtOnce.Written`) asks it whether its parts agree (the
/// model written whenever what it assumed was found); should they not, nothing of it is
/// kept and the write is made again, locked. SQLite has no such write: there the function
/// is not made.
struct AddWriteExpectation: AsyncMigration {
    static let state = "DVK01"

    func prepare(on database: any Database) async throws {
        let sql = try database.sql()
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("""
            CREATE OR REPLACE FUNCTION dvk_expect(ok boolean) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
            BEGIN
                IF ok IS NOT TRUE THEN
                    RAISE EXCEPTION 'a write''s parts disagree: nothing of it is kept' USING ERRCODE = '\(unsafeRaw: Self.state)';
                END IF;
                RETURN true;
            END
            $$
            """).run()
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql()
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("DROP FUNCTION IF EXISTS dvk_expect(boolean)").run()
    }
}
