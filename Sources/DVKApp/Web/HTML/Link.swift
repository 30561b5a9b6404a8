import Foundation

/// Where a link or a form may point: a page of DVK (a `SiteURL` with an optional query and
/// fragment, every part percent-encoded), or a `mailto:`/`tel:` made from a stored contact.
/// Views have no other way to write an `href` or an `action`, so no value a user typed can
/// become a `javascript:` URL or leave the site.
struct Link: Sendable, Equatable {
    let value: String

    private init(_ value: String) { self.value = value }

    init(_ url: SiteURL, query: [(String, String)] = [], fragment: String? = nil) {
        var value = url.path
        let pairs = query.filter { !$0.1.isEmpty }.map { Self.encode($0.0) + "=" + Self.encode($0.1) }
        if !pairs.isEmpty { value += "?" + pairs.joined(separator: "&") }
        if let fragment { value += "#" + Self.encode(fragment) }
        self.init(value)
    }

    /// A page of the site at its public address (`DVK_PUBLIC_URL`, checked at start-up),
    /// for links in email.
    init(base: String, _ url: SiteURL) {
        self.init(base + url.path)
    }

    /// A place on this page ("#main-content").
    static func fragment(_ id: String) -> Link {
        Link("#" + encode(id))
    }

    /// `mailto:` for an address, percent-encoded so that it stays one address.
    static func mailto(_ address: String) -> Link {
        Link("mailto:" + PercentEncoding.encode(address, keeping: addressBytes))
    }

    /// `tel:` with the digits (and a leading +) of a phone number.
    static func tel(_ phone: String) -> Link {
        Link("tel:" + phone.filter { $0.isASCII && ($0.isNumber || $0 == "+") })
    }

    static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
    private static let unreservedBytes = PercentEncoding.table(unreserved)
    /// What an address keeps as it is: made once (made for each link, from a `CharacterSet`,
    /// it was 1.6 % of a unit page's samples, which links its federation's contact).
    private static let addressBytes = PercentEncoding.table(unreserved.union(CharacterSet(charactersIn: "@.+-_")))

    static func encode(_ s: String) -> String {
        PercentEncoding.encode(s, keeping: unreservedBytes)
    }
}

/// Percent-encoding by UTF-8 bytes, as Foundation's `addingPercentEncoding` does it for a set
/// of ASCII characters: Foundation's took a twentieth of the dashboard, with its links.
enum PercentEncoding {
    /// Which bytes `allowed` lets through (only ASCII ones can be).
    static func table(_ allowed: CharacterSet) -> [Bool] {
        (0..<256).map { byte in
            guard byte < 128, let scalar = Unicode.Scalar(byte) else { return false }
            return allowed.contains(scalar)
        }
    }

    static func encode(_ value: String, keeping allowed: [Bool]) -> String {
        let utf8 = value.utf8
        if utf8.allSatisfy({ allowed[Int($0)] }) { return value }
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count * 3)
        for byte in utf8 {
            if allowed[Int(byte)] {
                out.append(byte)
            } else {
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension SiteURL {
    /// This page with a query string (empty values left out) and an optional fragment.
    func link(query: [(String, String)] = [], fragment: String? = nil) -> Link {
        Link(self, query: query, fragment: fragment)
    }
}
