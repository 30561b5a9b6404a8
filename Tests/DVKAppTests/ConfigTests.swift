import DVKCore
import FluentPostgresDriver
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
        #expect(try DatabaseLocation(url: "postgres+tcp://u:p@db:5432/dvk").isPostgres)
        // PostgreSQL through its socket file on the same machine: the file's path, the database after #.
        let socket = "postgres+uds://u:p@localhost/var/run/postgresql/.s.PGSQL.5432#dvk"
        #expect(try DatabaseLocation(url: socket) == .postgres(socket))
        #expect(try DatabaseLocation(url: "postgresql+uds://u@/run/pg/.s.PGSQL.5433#d").isPostgres)
        let pg = try SQLPostgresConfiguration(url: socket)
        #expect(pg.coreConfiguration.unixSocketPath == "/var/run/postgresql/.s.PGSQL.5432" && pg.coreConfiguration.database == "dvk")
        for bad in ["postgres+uds://u:p@localhost/var/run/postgresql/.s.PGSQL.5432",  // no database
                    "postgres+uds://u:p@db.example/run/.s.PGSQL.5432#dvk",           // another machine's socket
                    "postgres+uds://u:p@localhost:5432/run/.s.PGSQL.5432#dvk",       // a port
                    "postgres+uds://u:p@localhost/#dvk",                             // no path
                    "postgres+uds://localhost/run/.s.PGSQL.5432#dvk"] {              // no user
            #expect(throws: (any Error).self, "\(bad)") { try DatabaseLocation(url: bad) }
        }
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

    @Test func emailKeysAreReadWithTheRest() throws {
        #expect(try AppConfig.fromEnvironment([:]).mail == nil)
        let mail = try #require(try AppConfig.fromEnvironment([
            "DVK_SMTP_URL": "smtp://dvk%40ldld.vn:m%E1%BA%ADt%20kh%E1%BA%A9u@mail.ldld.vn:587",
            "DVK_MAIL_FROM": "\"Liên đoàn Lao động quận Long Biên\" <dvk@ldld.vn>",
            "DVK_PUBLIC_URL": "https://dvk.ldld.vn/",
        ]).mail)
        #expect(mail.server.host == "mail.ldld.vn" && mail.server.port == 587 && mail.server.security == .startTLS)
        #expect(mail.server.username == "dvk@ldld.vn" && mail.server.password == "mật khẩu")
        #expect(!mail.server.description.contains("mật"))
        #expect(mail.from.name == "Liên đoàn Lao động quận Long Biên" && mail.from.address == "dvk@ldld.vn")
        #expect(mail.publicURL == "https://dvk.ldld.vn")
        let implicit = try SMTPServer(url: "smtps://u:p@smtp.example.vn")
        #expect(implicit.security == .implicitTLS && implicit.port == 465)
        #expect(try SMTPServer(url: "smtp://relay.local:25?starttls=off").security == .none)
    }

    @Test func everyBadEmailKeyIsListedWithoutThePassword() {
        do {
            _ = try AppConfig.fromEnvironment(["DVK_SMTP_URL": "http://u:secret@x", "DVK_MAIL_FROM": "không phải địa chỉ",
                                               "DVK_PUBLIC_URL": "ftp://x", "DVK_MAIL_RETRY_SECONDS": "0"])
            Issue.record("expected an error")
        } catch let error as ConfigError {
            #expect(error.problems.count == 4, "\(error.problems)")
            #expect(!error.description.contains("secret"))
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(throws: ConfigError.self) { try AppConfig.fromEnvironment(["DVK_SMTP_URL": "smtp://x:25"]) }
        #expect(throws: ConfigError.self) { try AppConfig.fromEnvironment(["DVK_MAIL_FROM": "a@b.vn"]) }
        #expect(throws: (any Error).self) { try SMTPServer(url: "smtps://x?starttls=off") }
        #expect(throws: (any Error).self) { try SMTPServer(url: "smtp://x?tls=maybe") }
        #expect(throws: (any Error).self) { try SMTPServer(url: "smtp://x?cafile=/no/such/file") }
    }
}
