import Foundation

/// A name and an address, as a header shows them: `"Liên đoàn Lao động quận Long Biên" <ldld@longbien.vn>`.
public struct Mailbox: Sendable, Hashable, Codable {
    public var name: String
    public var address: String

    /// Nil unless the address is one a mail server takes (`UnitInput.looksLikeEmail`).
    public init?(name: String = "", address: String) {
        let address = address.trimmingCharacters(in: .whitespaces)
        guard UnitInput.looksLikeEmail(address) else { return nil }
        self.name = MailMessage.oneLine(name)
        self.address = address
    }

    /// `"Tên" <addr>`, `Tên <addr>` or a bare `addr`; nil for anything else.
    public init?(parsing text: String) {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard let open = text.lastIndex(of: "<") else {
            self.init(address: text)
            return
        }
        guard text.hasSuffix(">") else { return nil }
        let address = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        var name = text[..<open].trimmingCharacters(in: .whitespaces)
        if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
            name = String(name.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
        }
        self.init(name: name, address: address)
    }

    /// The header form: the name as a quoted string (ASCII) or encoded words (anything else).
    var header: String {
        guard !name.isEmpty else { return address }
        return "\(MailMessage.phrase(name)) <\(address)>"
    }
}

/// A file carried by a message.
public struct MailAttachment: Sendable, Equatable {
    public var fileName: String
    public var contentType: String
    public var data: Data

    public init(fileName: String, contentType: String, data: Data) {
        self.fileName = fileName
        self.contentType = contentType
        self.data = data
    }
}

/// One message as RFC 5322 and MIME want it: UTF-8 names and subject as encoded words
/// (RFC 2047), a text and an HTML part, attachments in base64, lines of at most 78
/// characters, CRLF throughout. What a user wrote never reaches a header unfolded: line
/// breaks in names and subjects become spaces.
public struct MailMessage: Sendable {
    public var from: Mailbox
    public var to: [Mailbox]
    /// Where an answer goes (the federation, not the robot that sent it).
    public var replyTo: Mailbox?
    public var subject: String
    public var text: String
    public var html: String?
    public var attachments: [MailAttachment]
    public var date: Date
    /// `<id@domain>`, unique per message; the same on every retry of it.
    public var messageID: String

    public init(from: Mailbox, to: [Mailbox], replyTo: Mailbox? = nil, subject: String, text: String, html: String? = nil,
                attachments: [MailAttachment] = [], date: Date, messageID: String) {
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.subject = subject
        self.text = text
        self.html = html
        self.attachments = attachments
        self.date = date
        self.messageID = messageID
    }

    /// A Message-ID for `id` under the sender's domain.
    public static func messageID(_ id: UUID, from: Mailbox) -> String {
        let domain = from.address.split(separator: "@").last.map(String.init) ?? "dvk.invalid"
        return "<\(id.canonicalText.lowercased())@\(domain)>"
    }

    /// The whole message, ready for SMTP's DATA (before dot-stuffing).
    public func rendered() -> Data {
        var out = ""
        func header(_ name: String, _ value: String) { out += Self.fold("\(name): \(value)") + "\r\n" }
        header("Date", Self.rfc5322(date))
        header("From", from.header)
        header("To", to.map(\.header).joined(separator: ", "))
        if let replyTo { header("Reply-To", replyTo.header) }
        header("Subject", Self.unstructured(Self.oneLine(subject)))
        header("Message-ID", messageID)
        header("MIME-Version", "1.0")
        header("Auto-Submitted", "auto-generated")
        let seed = messageID.unicodeScalars.reduce(UInt64(1469598103934665603)) { ($0 ^ UInt64($1.value)) &* 1099511628211 }
        let mixed = "=_dvk_m_\(String(seed, radix: 36))", alternative = "=_dvk_a_\(String(seed, radix: 36))"
        let textPart = Self.part(type: "text/plain; charset=utf-8", body: Data(Self.crlf(text).utf8))
        var body: String
        if let html {
            let htmlPart = Self.part(type: "text/html; charset=utf-8", body: Data(Self.crlf(html).utf8))
            body = Self.multipart("alternative", boundary: alternative, parts: [textPart, htmlPart])
        } else {
            body = textPart
        }
        if !attachments.isEmpty {
            let files = attachments.map { a in
                Self.part(type: "\(a.contentType); \(Self.parameter("name", a.fileName))", body: a.data,
                          disposition: "attachment; \(Self.parameter("filename", a.fileName))")
            }
            body = Self.multipart("mixed", boundary: mixed, parts: [body] + files)
        }
        out += body
        return Data(out.utf8)
    }

    // MARK: - Pieces

    static func part(type: String, body: Data, disposition: String? = nil) -> String {
        var out = Self.fold("Content-Type: \(type)") + "\r\n" + "Content-Transfer-Encoding: base64\r\n"
        if let disposition { out += Self.fold("Content-Disposition: \(disposition)") + "\r\n" }
        out += "\r\n"
        let encoded = body.base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        out += encoded + "\r\n"
        return out
    }

    static func multipart(_ subtype: String, boundary: String, parts: [String]) -> String {
        var out = "Content-Type: multipart/\(subtype);\r\n boundary=\"\(boundary)\"\r\n\r\n"
        for p in parts { out += "--\(boundary)\r\n" + p }
        out += "--\(boundary)--\r\n"
        return out
    }

    /// Line breaks (any kind) and other controls become spaces: header text is one line.
    static func oneLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.precomposedStringWithCanonicalMapping.unicodeScalars.map {
            $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" ? " " : $0
        })).trimmingCharacters(in: .whitespaces)
    }

    /// Text with every line ending as CRLF.
    static func crlf(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .replacingOccurrences(of: "\n", with: "\r\n")
    }

    static func isPlainASCII(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
    }

    /// Unstructured header text (Subject): as is when plain ASCII, else encoded words.
    static func unstructured(_ text: String) -> String {
        isPlainASCII(text) && !text.contains("=?") ? text : encodedWords(text)
    }

    /// A display name: a quoted string when ASCII, else encoded words.
    static func phrase(_ text: String) -> String {
        guard isPlainASCII(text), !text.contains("=?") else { return encodedWords(text, bytes: 42) }
        return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// RFC 2047 `=?UTF-8?B?…?=` words of at most `bytes` bytes of text each (39 keeps a
    /// "Subject: " line under 76 characters, 42 a "From: " one), split between characters
    /// (never inside one's bytes) and after a space when one is near, so that a decoder that
    /// shows the gap between words (Python's address parser does) still shows words whole.
    static func encodedWords(_ text: String, bytes limit: Int = 39) -> String {
        var words: [[Character]] = []
        var chunk: [Character] = []
        var size = 0
        for character in text {
            let length = String(character).utf8.count
            if size + length > limit, !chunk.isEmpty {
                if let space = chunk.lastIndex(of: " "), space > chunk.startIndex, space < chunk.endIndex - 1 {
                    words.append(Array(chunk[...space]))
                    chunk = Array(chunk[(space + 1)...])
                } else {
                    words.append(chunk)
                    chunk = []
                }
                size = chunk.reduce(0) { $0 + String($1).utf8.count }
            }
            chunk.append(character)
            size += length
        }
        if !chunk.isEmpty || words.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?\(Data(String($0).utf8).base64EncodedString())?=" }.joined(separator: " ")
    }

    /// A MIME parameter: `name="value"` for plain ASCII, else RFC 2231's extended form
    /// `name*=UTF-8''%E1%BA%A1…` (the star belongs to the name); a value too long for one
    /// line of 78 goes on in numbered sections (`name*0*=UTF-8''…; name*1*=…`), each on a
    /// line of its own, never splitting a %XX.
    static func parameter(_ name: String, _ value: String) -> String {
        let section = 40
        if isPlainASCII(value) && !value.contains("\"") && !value.contains("\\") {
            guard value.count > section else { return "\(name)=\"\(value)\"" }
            return stride(from: 0, to: value.count, by: section).enumerated().map { i, start in
                let from = value.index(value.startIndex, offsetBy: start)
                let to = value.index(from, offsetBy: section, limitedBy: value.endIndex) ?? value.endIndex
                return "\(name)*\(i)=\"\(value[from..<to])\""
            }.joined(separator: "; ")
        }
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")
        // Each character encoded whole: no section ends inside a character's bytes.
        let characters = value.map { String($0).addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
        let encoded = "UTF-8''" + characters.joined()
        guard encoded.count > section else { return "\(name)*=\(encoded)" }
        var sections: [String] = []
        var current = "UTF-8''"
        for token in characters {
            if current.count + token.count > section, !current.isEmpty { sections.append(current); current = "" }
            current += token
        }
        sections.append(current)
        return sections.enumerated().map { "\(name)*\($0.offset)*=\($0.element)" }.joined(separator: "; ")
    }

    /// Folds a header line at spaces so that no line passes 78 characters (encoded words
    /// and base64 never hold spaces, so a fold never splits one).
    static func fold(_ line: String) -> String {
        guard line.count > 78 else { return line }
        var lines: [String] = []
        var current = ""
        for word in line.split(separator: " ", omittingEmptySubsequences: false) {
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count > (lines.isEmpty ? 78 : 77) {  // a continuation starts with a space
                lines.append(current)
                current = String(word)
            } else {
                current += " " + word
            }
        }
        lines.append(current)
        return lines.joined(separator: "\r\n ")
    }

    /// "Mon, 30 Nov 2026 08:00:00 +0700": the date in Vietnam time.
    static func rfc5322(_ date: Date) -> String {
        let f = VietnamTime.fields(date)
        let days = VietnamTime.days(fromCivil: CalendarDay(year: f.year, month: f.month, day: f.day))
        let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][((days % 7) + 7) % 7]
        let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][f.month - 1]
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        return "\(weekday), \(two(f.day)) \(month) \(f.year) \(two(f.hour)):\(two(f.minute)):\(two(f.second)) +0700"
    }
}
