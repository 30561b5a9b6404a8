import Testing
@testable import DVKApp

@Suite struct ConfigTests {
    @Test func databaseURLForms() throws {
        #expect(try AppConfig.fromEnvironment([:]).database == .sqliteFile("dvk.sqlite"))
        #expect(try DatabaseLocation(url: "sqlite:///tmp/a.sqlite") == .sqliteFile("/tmp/a.sqlite"))
        #expect(try DatabaseLocation(url: "sqlite:/tmp/a.sqlite") == .sqliteFile("/tmp/a.sqlite"))
        #expect(try DatabaseLocation(url: "sqlite:data/a.sqlite") == .sqliteFile("data/a.sqlite"))
        #expect(try DatabaseLocation(url: "sqlite::memory:") == .sqliteMemory)
        #expect(try DatabaseLocation(url: "postgres://u:p@localhost:5432/dvk") == .postgres("postgres://u:p@localhost:5432/dvk"))
        #expect(try DatabaseLocation(url: "postgresql://u@db/dvk").isPostgres)
        #expect(throws: (any Error).self) { try DatabaseLocation(url: "mysql://x") }
        #expect(throws: (any Error).self) { try DatabaseLocation(url: "sqlite:") }
    }

    @Test func everyBadKeyIsListed() {
        do {
            _ = try AppConfig.fromEnvironment(["DATABASE_URL": "oracle://x", "DVK_NATIONAL_MOTTO": "maybe"])
            Issue.record("expected an error")
        } catch let error as ConfigError {
            #expect(error.problems.count == 2)
            #expect(error.description.contains("DATABASE_URL"))
            #expect(error.description.contains("DVK_NATIONAL_MOTTO"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
