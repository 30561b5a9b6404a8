import DVKCore
import Foundation

/// `/units/import`: upserts units from a CSV, all or nothing, only inside the user's subtree.
enum UnitsImport {
    struct Model: Sendable {
        var user: CurrentUser
        var result: UnitDirectory.ImportResult?
        /// The first bad lines, and how many there are in all.
        var lines: [LineError] = []
        var badLines = 0
        var problem: String?
    }
}
