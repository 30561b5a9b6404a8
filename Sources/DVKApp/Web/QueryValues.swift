import Foundation
import Vapor

extension Request {
    /// One value of the URL's query as a form sends it ('+' a space, then %XX decoded), as
    /// Vapor's decoder read it: the last of a repeated key; nil when the key is absent, has
    /// no '=' (Vapor set such a pair aside), or its value is not valid percent-encoding.
    /// Vapor's `req.query[String.self, at:]` ran its Codable form decoder over the whole
    /// query for each value (6 % of the summary API's CPU, `scripts/bench-reads --perf`);
    /// this reads the query once, without allocating for the keys it passes over.
    /// `scripts/check-rules` keeps `req.query[…]` out.
    func queryValue(_ key: String) -> String? {
        guard let query = url.query, !query.isEmpty else { return nil }
        var found: Substring.UTF8View?
        for pair in query.utf8.split(separator: UInt8(ascii: "&")) {
            guard let equals = pair.firstIndex(of: UInt8(ascii: "=")),
                  Self.formDecoded(pair[pair.startIndex..<equals]) == key else { continue }
            found = pair[pair.index(after: equals)...]
        }
        return found.flatMap(Self.formDecoded)
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
