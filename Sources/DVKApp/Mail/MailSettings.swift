import DVKCore
import Foundation

/// How DVK sends email, from `DVK_SMTP_URL`, `DVK_MAIL_FROM` and `DVK_PUBLIC_URL`.
/// Absent (nil in `AppConfig`), DVK sends nothing and its pages say so.
public struct MailSettings: Sendable, Equatable {
    public var server: SMTPServer
    public var from: Mailbox
    /// The address people open from a message, e.g. "https://dvk.ldldlongbien.vn" (no trailing slash).
    public var publicURL: String
    /// The first retry waits this long; each next one twice as long (at most an hour).
    public var retryBase: TimeInterval

    public init(server: SMTPServer, from: Mailbox, publicURL: String, retryBase: TimeInterval = 30) {
        self.server = server
        self.from = from
        self.publicURL = publicURL
        self.retryBase = retryBase
    }

    /// `publicURL` + a site path.
    func link(_ url: SiteURL) -> String { publicURL + url.path }

    /// Reads the three keys (and `DVK_MAIL_RETRY_SECONDS`); nil when `DVK_SMTP_URL` is unset,
    /// every problem appended to `problems`.
    static func fromEnvironment(_ env: [String: String], publicURL: String?, problems: inout [String]) -> MailSettings? {
        guard let raw = env["DVK_SMTP_URL"], !raw.isEmpty else {
            if let from = env["DVK_MAIL_FROM"], !from.isEmpty {
                problems.append("DVK_MAIL_FROM is set but DVK_SMTP_URL is not: set both to send email, or neither")
            }
            return nil
        }
        var server: SMTPServer?
        do { server = try SMTPServer(url: raw) } catch { problems.append("DVK_SMTP_URL: \(error)") }
        let fromText = env["DVK_MAIL_FROM"] ?? ""
        let from = Mailbox(parsing: fromText)
        if fromText.isEmpty {
            problems.append("DVK_MAIL_FROM: needed with DVK_SMTP_URL, e.g. \"Liên đoàn Lao động quận Long Biên\" <dvk@ldldlongbien.vn>")
        } else if from == nil {
            problems.append("DVK_MAIL_FROM: “\(fromText)” is not an address (\"Name\" <user@domain.vn> or user@domain.vn)")
        }
        if publicURL == nil, (env["DVK_PUBLIC_URL"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append("DVK_PUBLIC_URL: needed with DVK_SMTP_URL (the address people open from the emails, e.g. https://dvk.ldldlongbien.vn)")
        }
        var retry: TimeInterval = 30
        if let text = env["DVK_MAIL_RETRY_SECONDS"], !text.isEmpty {
            if let n = Int(text), (1...3600).contains(n) { retry = TimeInterval(n) } else {
                problems.append("DVK_MAIL_RETRY_SECONDS: expected a whole number from 1 to 3600, got “\(text)”")
            }
        }
        guard let server, let from, let publicURL else { return nil }
        return MailSettings(server: server, from: from, publicURL: publicURL, retryBase: retry)
    }
}

/// Where and how to reach the SMTP server.
public struct SMTPServer: Sendable, Equatable, CustomStringConvertible {
    public enum Security: String, Sendable {
        /// Plain connection upgraded by STARTTLS before anything else (port 587); required.
        case startTLS
        /// TLS from the first byte (port 465, `smtps://`).
        case implicitTLS
        /// No TLS at all (`?starttls=off`): a relay on the same host only.
        case none
    }

    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    public var security: Security
    /// A CA bundle to trust instead of the system's (`?cafile=/etc/ssl/…`).
    public var caFile: String?
    /// The name announced in EHLO.
    public var helo: String

    /// `smtp://user:pass@host:587[?starttls=off][&cafile=PATH][&helo=NAME]` or `smtps://user:pass@host:465`.
    public init(url text: String) throws {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw SMTPURLError("“\(text.redactingPassword)” is not a URL like smtp://user:password@host:587")
        }
        switch scheme {
        case "smtp": security = .startTLS
        case "smtps": security = .implicitTLS
        default: throw SMTPURLError("scheme “\(scheme)” is not smtp or smtps")
        }
        self.host = host
        port = url.port ?? (security == .implicitTLS ? 465 : 587)
        username = url.percentEncodedUser.flatMap { $0.removingPercentEncoding }.flatMap { $0.isEmpty ? nil : $0 }
        password = url.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        helo = "dvk.localdomain"
        for item in url.queryItems ?? [] {
            switch (item.name, item.value ?? "") {
            case ("starttls", "off"):
                guard security == .startTLS else { throw SMTPURLError("starttls=off applies to smtp://, not smtps://") }
                security = .none
            case ("starttls", "on"): break
            case ("cafile", let path) where !path.isEmpty:
                guard FileManager.default.isReadableFile(atPath: path) else { throw SMTPURLError("cafile “\(path)” cannot be read") }
                caFile = path
            case ("helo", let name) where !name.isEmpty && name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }):
                helo = name
            default:
                throw SMTPURLError("unknown or bad parameter “\(item.name)=\(item.value ?? "")” (known: starttls=off, cafile=PATH, helo=NAME)")
            }
        }
        if username != nil, password == nil { throw SMTPURLError("a user without a password") }
    }

    /// For logs and pages: never the password.
    public var description: String {
        let scheme = security == .implicitTLS ? "smtps" : "smtp"
        let user = username.map { "\($0)@" } ?? ""
        return "\(scheme)://\(user)\(host):\(port)" + (security == .none ? " (không mã hóa)" : "")
    }
}

struct SMTPURLError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

extension String {
    /// A URL with its password replaced, fit for an error message.
    var redactingPassword: String {
        guard var c = URLComponents(string: self), c.password != nil else { return self }
        c.password = "***"
        return c.string ?? "(URL)"
    }
}
