import Foundation

/// Everything DVK reads from its environment, read once at start-up.
/// Tests build one in code; only `dvk` itself calls `fromEnvironment`.
public struct AppConfig: Sendable {
    public var database: DatabaseLocation
    /// Print the Quốc hiệu / Tiêu ngữ block on documents (QĐ 933/QĐ-TLĐ); on by default.
    public var showNationalMotto: Bool
    /// Mark session cookies Secure (behind HTTPS).
    public var secureCookies: Bool

    public init(database: DatabaseLocation, showNationalMotto: Bool = true, secureCookies: Bool = false) {
        self.database = database
        self.showNationalMotto = showNationalMotto
        self.secureCookies = secureCookies
    }

    /// Reads `DATABASE_URL`, `DVK_NATIONAL_MOTTO`, `DVK_SECURE_COOKIES`; fails listing every bad key.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfig {
        var problems: [String] = []
        var database = DatabaseLocation.sqliteFile("dvk.sqlite")
        if let raw = env["DATABASE_URL"], !raw.isEmpty {
            do { database = try DatabaseLocation(url: raw) } catch { problems.append("DATABASE_URL: \(error)") }
        }
        func flag(_ key: String, default value: Bool) -> Bool {
            guard let raw = env[key]?.lowercased(), !raw.isEmpty else { return value }
            switch raw {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off": return false
            default:
                problems.append("\(key): expected true or false, got “\(raw)”")
                return value
            }
        }
        let motto = flag("DVK_NATIONAL_MOTTO", default: true)
        let secure = flag("DVK_SECURE_COOKIES", default: false)
        if !problems.isEmpty { throw ConfigError(problems: problems) }
        return AppConfig(database: database, showNationalMotto: motto, secureCookies: secure)
    }
}

public struct ConfigError: Error, CustomStringConvertible {
    public var problems: [String]
    public var description: String { "invalid configuration:\n" + problems.map { "  - " + $0 }.joined(separator: "\n") }
}

/// Where the data lives: a SQLite file, SQLite in memory (tests), or PostgreSQL.
public enum DatabaseLocation: Sendable, Equatable {
    case sqliteFile(String)
    case sqliteMemory
    case postgres(String)

    /// `sqlite:///abs/path`, `sqlite:/abs/path`, `sqlite:relative/path`, `sqlite::memory:`,
    /// `postgres://user:pass@host:port/db` (or `postgresql://`).
    public init(url: String) throws {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            guard URL(string: url)?.host != nil else { throw DatabaseURLError("not a valid PostgreSQL URL: \(url)") }
            self = .postgres(url)
        } else if url.hasPrefix("sqlite:") {
            var path = String(url.dropFirst("sqlite:".count))
            if path == ":memory:" { self = .sqliteMemory; return }
            if path.hasPrefix("//") { path.removeFirst(2) }
            guard !path.isEmpty else { throw DatabaseURLError("sqlite: needs a file path, e.g. sqlite:dvk.sqlite") }
            self = .sqliteFile(path)
        } else {
            throw DatabaseURLError("unsupported scheme in \(url) (use sqlite:PATH or postgres://…)")
        }
    }

    public var isPostgres: Bool { if case .postgres = self { true } else { false } }
}

struct DatabaseURLError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
