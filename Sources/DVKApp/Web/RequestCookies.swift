import Vapor

extension Request {
    /// The value of the request's cookie `name`, if it sent one, as Vapor's `cookies` reads
    /// it. A plain `Cookie` header (ASCII, no quotes: every browser's, for DVK's cookies) is
    /// scanned for the one name (`CookieScan`); Vapor's parse of the whole header, kept for
    /// the request, serves the rest. Vapor's parse of every use was 2.5 % of the unit page's
    /// samples; once a request, kept, it was still 2 %. `scripts/check-rules` keeps
    /// `req.cookies` reads out of the sources.
    func cookie(_ name: String) -> String? {
        if let parsed = storage[RequestCookiesKey.self] { return parsed[name]?.string }
        if case .decided(let value) = CookieScan.value(of: name, in: headers[.cookie]) { return value }
        let parsed = cookies
        storage[RequestCookiesKey.self] = parsed
        return parsed[name]?.string
    }
}

private struct RequestCookiesKey: StorageKey {
    typealias Value = HTTPCookies
}

/// One cookie's value from `Cookie` headers, read by bytes, with the answer Vapor's
/// `HTTPHeaders.cookie` gives: pairs split at `;` and `,`, a name of token characters
/// before the first `=`, the value up to the next separator, spaces and tabs trimmed from
/// both, the last pair of a name winning. A header with a quote or a byte outside printable
/// ASCII is left undecided: Vapor's parser unquotes and reads by characters there.
enum CookieScan {
    enum Answer: Equatable {
        case decided(String?)
        case undecided
    }

    static func value(of name: String, in headers: [String]) -> Answer {
        var found: String?
        for var header in headers {
            guard let answer = header.withUTF8({ scan(name, $0) }) else { return .undecided }
            if let answer { found = answer }
        }
        return .decided(found)
    }

    /// nil: undecided; .some(nil): no pair of the name in this header.
    private static func scan(_ name: String, _ bytes: UnsafeBufferPointer<UInt8>) -> String?? {
        for byte in bytes where byte == UInt8(ascii: "\"") || byte < 0x20 && byte != 0x09 || byte > 0x7E { return nil }
        var found: String?
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: ";"), bytes[end] != UInt8(ascii: ",") { end += 1 }
            var from = start
            while from < end, isSpace(bytes[from]) { from += 1 }
            // The name: token characters up to an `=`; anything else first makes no pair.
            var equals = from
            while equals < end, bytes[equals] != UInt8(ascii: "="), isToken(bytes[equals]) { equals += 1 }
            if equals < end, bytes[equals] == UInt8(ascii: "="), name.utf8.elementsEqual(bytes[from..<equals]) {
                var valueStart = equals + 1, valueEnd = end
                while valueStart < valueEnd, isSpace(bytes[valueStart]) { valueStart += 1 }
                while valueEnd > valueStart, isSpace(bytes[valueEnd - 1]) { valueEnd -= 1 }
                found = String(decoding: UnsafeBufferPointer(rebasing: bytes[valueStart..<valueEnd]), as: UTF8.self)
            }
            start = end + 1
        }
        return .some(found)
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    /// RFC 2616's token characters, as Vapor's `isTokenCharacter`.
    private static func isToken(_ byte: UInt8) -> Bool {
        switch byte {
        case 0...32, 127...: false
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "@"), UInt8(ascii: ","),
             UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "/"), UInt8(ascii: "["),
             UInt8(ascii: "]"), UInt8(ascii: "?"), UInt8(ascii: "="), UInt8(ascii: "{"), UInt8(ascii: "}"): false
        default: true
        }
    }
}
