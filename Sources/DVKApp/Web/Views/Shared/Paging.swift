import Foundation
import Plot

/// One page of a long list (6,300 units never go on one page).
struct Paging: Sendable, Equatable {
    static let perPage = 50

    var page: Int
    var total: Int
    var perPage: Int = Paging.perPage

    /// `requested` is the 1-based page asked for; out-of-range pages land on the nearest real one.
    init(requested: Int?, total: Int, perPage: Int = Paging.perPage) {
        self.total = total
        self.perPage = perPage
        let last = max(1, (total + perPage - 1) / perPage)
        page = min(max(1, requested ?? 1), last)
    }

    var pageCount: Int { max(1, (total + perPage - 1) / perPage) }
    var offset: Int { (page - 1) * perPage }
    var range: Range<Int> { min(offset, total)..<min(offset + perPage, total) }

    func slice<T>(_ items: [T]) -> [T] { Array(items[range]) }
}

extension SiteURL {
    /// The page's path with a query string; empty values are left out.
    func path(query: [(String, String)]) -> String {
        let pairs = query.filter { !$0.1.isEmpty }.map { key, value in
            key + "=" + (value.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? "")
        }
        return pairs.isEmpty ? path : path + "?" + pairs.joined(separator: "&")
    }
}

private extension CharacterSet {
    static let urlQueryValueAllowed = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+?#"))
}

enum Pager {
    /// "‹ Trước · Trang 2/127 (6.300) · Sau ›"; nothing when everything fits on one page.
    static func nav(_ paging: Paging, link: (Int) -> String) -> Node<HTML.BodyContext> {
        guard paging.pageCount > 1 else { return .empty }
        return .nav(.class("pager"), .attribute(named: "aria-label", value: "Phân trang"),
            paging.page > 1
                ? .a(.class("button secondary small"), .href(link(paging.page - 1)), .attribute(named: "rel", value: "prev"), "‹ Trước")
                : .span(.class("muted"), "‹ Trước"),
            .span(.text("Trang \(paging.page)/\(paging.pageCount)")),
            paging.page < paging.pageCount
                ? .a(.class("button secondary small"), .href(link(paging.page + 1)), .attribute(named: "rel", value: "next"), "Sau ›")
                : .span(.class("muted"), "Sau ›")
        )
    }

    /// "1.234": thousands grouped the Vietnamese way.
    static func number(_ n: Int) -> String {
        var digits = String(n)
        var out = ""
        while digits.count > 3 {
            out = "." + digits.suffix(3) + out
            digits.removeLast(3)
        }
        return digits + out
    }
}
