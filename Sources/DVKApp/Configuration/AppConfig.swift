import DVKCore
import Foundation

/// Everything DVK reads from its environment, read once at start-up.
/// Tests build one in code; only `dvk` itself calls `fromEnvironment`.
public struct AppConfig: Sendable {
    public var database: DatabaseLocation
    /// Print the Quốc hiệu / Tiêu ngữ block on documents (QĐ 933/QĐ-TLĐ); on by default.
    public var showNationalMotto: Bool
    /// The same for the tables sent with a letter (Biểu tổng hợp, danh sách mô hình): the
    /// letter's setting unless set apart (the seed's attached Biểu carries none).
    public var nationalMottoOnTables: Bool
    /// Mark session cookies Secure and send HSTS (behind HTTPS).
    public var secureCookies: Bool
    /// How long a browser session lasts without use, and at most.
    public var sessions: SessionPolicy
    /// The proxies whose `X-Forwarded-For` is believed (their own addresses); none by default.
    public var trustedProxies: Set<String>
    /// How to send email; nil: DVK sends none.
    public var mail: MailSettings?
    /// The address people open DVK at (`DVK_PUBLIC_URL`, no trailing slash), for links that
    /// leave the site: emails, the feed, invitations. Nil: such links are relative.
    public var publicURL: String?
    /// Who reaches `/metrics`: its own listen address, or the site with a token.
    public var metrics: MetricsAccess
    /// Anonymous requests to the public library a minute per address (0: no limit).
    public var libraryRateLimit: Int
    /// Sign-in attempts a minute per address, whatever the names tried (0: no limit).
    public var loginRateLimit: Int
    /// How long an invitation's link works.
    public var invitationDays: Int
    /// The roles that must confirm sign-in with a second factor (they set it up first).
    public var requireTwoFactor: Set<Role>
    /// Writes are recorded in the audit trail. Off only for `scripts/rush --trail-cost`,
    /// which measures what the trail costs (`DVK_BENCH_WITHOUT_AUDIT_TRAIL=1`): the server
    /// then writes one event saying so when it starts, and a warning in its log.
    public var auditTrail: Bool

    public init(database: DatabaseLocation, showNationalMotto: Bool = true, nationalMottoOnTables: Bool? = nil, secureCookies: Bool = false,
                sessions: SessionPolicy = SessionPolicy(), trustedProxies: Set<String> = [], mail: MailSettings? = nil,
                publicURL: String? = nil, metrics: MetricsAccess = MetricsAccess(), libraryRateLimit: Int = 0,
                loginRateLimit: Int = 0, invitationDays: Int = 7, requireTwoFactor: Set<Role> = [], auditTrail: Bool = true) {
        self.auditTrail = auditTrail
        self.invitationDays = invitationDays
        self.requireTwoFactor = requireTwoFactor
        self.metrics = metrics
        self.libraryRateLimit = libraryRateLimit
        self.loginRateLimit = loginRateLimit
        self.mail = mail
        self.publicURL = publicURL ?? mail?.publicURL
        self.database = database
        self.showNationalMotto = showNationalMotto
        self.nationalMottoOnTables = nationalMottoOnTables ?? showNationalMotto
        self.secureCookies = secureCookies
        self.sessions = sessions
        self.trustedProxies = trustedProxies
    }

    /// Reads `DATABASE_URL`, `DVK_NATIONAL_MOTTO`, `DVK_NATIONAL_MOTTO_TABLES`, `DVK_SECURE_COOKIES`, `DVK_SESSION_IDLE_MINUTES`,
    /// `DVK_SESSION_HOURS`, `DVK_TRUSTED_PROXIES`, `DVK_PUBLIC_URL`, `DVK_LIBRARY_RATE_LIMIT`, `DVK_LOGIN_RATE_LIMIT`, `DVK_INVITATION_DAYS`,
    /// `DVK_REQUIRE_TWO_FACTOR`, `DVK_BENCH_WITHOUT_AUDIT_TRAIL`, the metrics' keys (`MetricsAccess`) and the
    /// email keys (`MailSettings`); fails
    /// listing every bad key.
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
        func number(_ key: String, default value: Int, range: ClosedRange<Int>) -> Int {
            guard let raw = env[key], !raw.isEmpty else { return value }
            guard let n = Int(raw), range.contains(n) else {
                problems.append("\(key): expected a whole number from \(range.lowerBound) to \(range.upperBound), got “\(raw)”")
                return value
            }
            return n
        }
        let motto = flag("DVK_NATIONAL_MOTTO", default: true)
        let mottoOnTables = flag("DVK_NATIONAL_MOTTO_TABLES", default: motto)
        let secure = flag("DVK_SECURE_COOKIES", default: false)
        let idle = number("DVK_SESSION_IDLE_MINUTES", default: 120, range: 5...1440)
        let hours = number("DVK_SESSION_HOURS", default: 12, range: 1...720)
        let libraryRate = number("DVK_LIBRARY_RATE_LIMIT", default: 120, range: 0...100_000)
        let loginRate = number("DVK_LOGIN_RATE_LIMIT", default: 60, range: 0...100_000)
        let invitationDays = number("DVK_INVITATION_DAYS", default: 7, range: 1...60)
        let withoutTrail = flag("DVK_BENCH_WITHOUT_AUDIT_TRAIL", default: false)
        var twoFactor: Set<Role> = []
        for raw in (env["DVK_REQUIRE_TWO_FACTOR"] ?? "").split(separator: ",") {
            let word = raw.trimmingCharacters(in: .whitespaces)
            guard !word.isEmpty else { continue }
            if let role = Role(rawValue: word.lowercased()) { twoFactor.insert(role) } else {
                problems.append("DVK_REQUIRE_TWO_FACTOR: “\(word)” is not a role (admin, staff, officer, viewer; comma-separated)")
            }
        }
        var proxies: Set<String> = []
        for raw in (env["DVK_TRUSTED_PROXIES"] ?? "").split(separator: ",") {
            let address = raw.trimmingCharacters(in: .whitespaces)
            guard !address.isEmpty else { continue }
            if address.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" }) { proxies.insert(address) } else {
                problems.append("DVK_TRUSTED_PROXIES: “\(address)” is not an IP address (list the proxies' addresses, comma-separated)")
            }
        }
        let publicURL = Self.publicURL(env["DVK_PUBLIC_URL"], problems: &problems)
        let mail = MailSettings.fromEnvironment(env, publicURL: publicURL, problems: &problems)
        let metrics = MetricsAccess.fromEnvironment(env, problems: &problems)
        if !problems.isEmpty { throw ConfigError(problems: problems) }
        return AppConfig(database: database, showNationalMotto: motto, nationalMottoOnTables: mottoOnTables, secureCookies: secure,
                         sessions: SessionPolicy(idle: TimeInterval(idle * 60), lifetime: TimeInterval(hours * 3600)),
                         trustedProxies: proxies, mail: mail, publicURL: publicURL, metrics: metrics,
                         libraryRateLimit: libraryRate, loginRateLimit: loginRate, invitationDays: invitationDays, requireTwoFactor: twoFactor,
                         auditTrail: !withoutTrail)
    }

    /// `DVK_PUBLIC_URL`: an http(s) address without query, its trailing slashes dropped.
    static func publicURL(_ raw: String?, problems: inout [String]) -> String? {
        var text = (raw ?? "").trimmingCharacters(in: .whitespaces)
        while text.hasSuffix("/") { text.removeLast() }
        guard !text.isEmpty else { return nil }
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil,
              url.query == nil, url.fragment == nil
        else {
            problems.append("DVK_PUBLIC_URL: “\(text)” is not an http(s) address without query")
            return nil
        }
        return text
    }
}

/// A browser session ends after `idle` without a request, and `lifetime` after sign-in.
public struct SessionPolicy: Sendable, Equatable {
    public var idle: TimeInterval
    public var lifetime: TimeInterval

    public init(idle: TimeInterval = 2 * 3600, lifetime: TimeInterval = 12 * 3600) {
        self.idle = idle
        self.lifetime = lifetime
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
    /// `postgres://user:pass@host:port/db` (or `postgresql://`, `postgres+tcp://`), or
    /// PostgreSQL on the same machine through its socket file,
    /// `postgres+uds://user:pass@localhost/var/run/postgresql/.s.PGSQL.5432#db`.
    public init(url: String) throws {
        if ["postgres://", "postgresql://", "postgres+tcp://", "postgresql+tcp://"].contains(where: url.hasPrefix) {
            guard URL(string: url)?.host != nil else { throw DatabaseURLError("not a valid PostgreSQL URL: \(url)") }
            self = .postgres(url)
        } else if url.hasPrefix("postgres+uds://") || url.hasPrefix("postgresql+uds://") {
            guard let parts = URLComponents(string: url), parts.user != nil, parts.port == nil, parts.path.count > 1,
                  parts.host?.isEmpty ?? true || parts.host == "localhost", !(parts.fragment ?? "").isEmpty
            else {
                throw DatabaseURLError("not a valid PostgreSQL socket URL: \(url) (postgres+uds://user:pass@localhost/path/to/.s.PGSQL.5432#database)")
            }
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
