import Foundation

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

enum Pager {
    /// "‹ Trước · Trang 2/127 (6.300) · Sau ›"; nothing when everything fits on one page.
    static func nav(_ paging: Paging, link: (Int) -> Link) -> Node {
        guard paging.pageCount > 1 else { return .empty }
        return .nav(.class("pager"), .attribute("aria-label", "Phân trang"),
            paging.page > 1
                ? .a(.class("button secondary small"), .href(link(paging.page - 1)), .attribute("rel", "prev"), "‹ Trước")
                : .span(.class("muted"), "‹ Trước"),
            .span(.text("Trang \(paging.page)/\(paging.pageCount)")),
            paging.page < paging.pageCount
                ? .a(.class("button secondary small"), .href(link(paging.page + 1)), .attribute("rel", "next"), "Sau ›")
                : .span(.class("muted"), "Sau ›")
        )
    }
}
