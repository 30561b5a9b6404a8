import DVKCore
import FluentKit
import Foundation

/// `/units?q=…`: units of the user's subtree by name or code, without diacritics
/// ("truong ngoc lam" finds "Trường Tiểu học Ngọc Lâm"), 50 a page.
enum UnitSearch {
    struct Hit: Sendable, Equatable {
        var code: String
        var name: String
        var kind: UnitKind
        var parentName: String
    }

    struct Model: Sendable {
        var user: CurrentUser
        var query: String
        var hits: [Hit]
        var paging: Paging
    }

    /// The whole tree is read once and the user's subtree searched in memory, as units have
    /// no stored diacritic-free key to index: quick at a city's 6,300 units; a national
    /// installation would want that key stored.
    static func query(_ text: String, user: CurrentUser, page: Int?, on db: any Database) async throws -> Model {
        let key = VietnameseText.searchKey(text)
        let nodes = try await UnitDirectory.allNodes(on: db)
        let inside = UnitEditor.subtree(of: user.unitID, in: nodes)
        let byID = Dictionary(nodes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var found: [(key: String, node: UnitNode)] = []
        for node in nodes where inside.contains(node.id) {
            let nameKey = VietnameseText.searchKey(node.name)
            if nameKey.contains(key) || node.code.lowercased().contains(key) { found.append((nameKey, node)) }
        }
        found.sort { ($0.key, $0.node.code) < ($1.key, $1.node.code) }
        let paging = Paging(requested: page, total: found.count)
        let hits = paging.slice(found).map { item in
            Hit(code: item.node.code, name: item.node.name, kind: item.node.kind,
                parentName: item.node.parentID.flatMap { byID[$0]?.name } ?? "")
        }
        return Model(user: user, query: text, hits: hits, paging: paging)
    }
}
