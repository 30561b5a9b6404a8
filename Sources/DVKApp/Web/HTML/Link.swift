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
        Link("mailto:" + encode(address, keeping: "@.+-_"))
    }

    /// `tel:` with the digits (and a leading +) of a phone number.
    static func tel(_ phone: String) -> Link {
        Link("tel:" + phone.filter { $0.isASCII && ($0.isNumber || $0 == "+") })
    }

    private static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    static func encode(_ s: String, keeping extra: String = "") -> String {
        s.addingPercentEncoding(withAllowedCharacters: unreserved.union(CharacterSet(charactersIn: extra))) ?? ""
    }
}

extension SiteURL {
    /// This page with a query string (empty values left out) and an optional fragment.
    func link(query: [(String, String)] = [], fragment: String? = nil) -> Link {
        Link(self, query: query, fragment: fragment)
    }
}
