import Foundation
import Vapor

extension Request {
    /// One value of the URL's query as a form sends it ('+' a space, then %XX decoded): the
    /// first of a repeated key, "" for a key without '=', nil when it is absent or its
    /// value is not valid percent-encoding. Vapor's `req.query[String.self, at:]` ran its
    /// Codable form decoder over the whole query for each value (6 % of the summary API's
    /// CPU, `scripts/bench-reads --perf`); this reads the query once, without allocating
    /// for the keys it passes over. `scripts/check-rules` keeps `req.query[…]` out.
    func queryValue(_ key: String) -> String? {
        guard let query = url.query, !query.isEmpty else { return nil }
        for pair in query.utf8.split(separator: UInt8(ascii: "&")) {
            let equals = pair.firstIndex(of: UInt8(ascii: "="))
            let name = pair[pair.startIndex..<(equals ?? pair.endIndex)]
            guard Self.formDecoded(name) == key else { continue }
            guard let equals else { return "" }
            return Self.formDecoded(pair[pair.index(after: equals)...])
        }
        return nil
    }

    /// `queryValue` as a whole number; nil when absent or not one.
    func queryInt(_ key: String) -> Int? {
        queryValue(key).flatMap { Int($0) }
    }

    private static func formDecoded(_ bytes: Substring.UTF8View.SubSequence) -> String? {
        let text = String(Substring(bytes))
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) else { return text }
        return text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
